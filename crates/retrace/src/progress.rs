//! Progress bars on standard error, one per phase, with rates and (where the total is known) an
//! ETA. Drawn only when standard error is a terminal; logs and pipes get the summary lines only.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A counter for a phase whose total is unknown (reading streams).
pub(crate) fn spinner(phase: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {phase:<6} {{pos}} documents ({{per_sec}}) {{msg}} [{{elapsed}}]"
        ))
        .expect("a valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// A bar for a phase of `total` steps.
pub(crate) fn bar(phase: &str, total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{phase:<6} [{{bar:30}}] {{pos}}/{{len}} pairs ({{per_sec}}, ETA {{eta}})"
        ))
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar
}

/// A phase of named steps (`msg`), for work counted in parts rather than documents.
pub(crate) fn steps(phase: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(&format!("{{spinner}} {phase:<6} {{msg}} [{{elapsed}}]"))
            .expect("a valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
