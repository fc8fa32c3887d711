//! Binary-decision metrics and the choice of a threshold on training data.
//!
//! A pair is predicted a paraphrase when its score is at least the threshold. The threshold is
//! chosen on the training pairs only and then applied unchanged to the test pairs, so the test
//! figures are not tuned on the test set.

use serde::Serialize;

/// Counts of a binary decision against the labels; "positive" is the paraphrase class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Confusion {
    /// Paraphrases predicted paraphrase.
    pub(crate) tp: u32,
    /// Non-paraphrases predicted paraphrase.
    pub(crate) fp: u32,
    /// Non-paraphrases predicted non-paraphrase.
    pub(crate) tn: u32,
    /// Paraphrases predicted non-paraphrase.
    pub(crate) fn_: u32,
}

impl Confusion {
    /// The confusion of `score >= threshold` against `labels`.
    pub(crate) fn at(scores: &[f32], labels: &[bool], threshold: f32) -> Confusion {
        let mut c = Confusion::default();
        for (&score, &label) in scores.iter().zip(labels) {
            match (score >= threshold, label) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, false) => c.tn += 1,
                (false, true) => c.fn_ += 1,
            }
        }
        c
    }

    /// Share of correct decisions; 0 for no pairs.
    pub(crate) fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.fp + self.tn + self.fn_)
    }

    /// Share of predicted paraphrases that are paraphrases; 0 when none is predicted.
    pub(crate) fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Share of paraphrases that are predicted; 0 when there are none.
    pub(crate) fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall of the paraphrase class; 0 when both are 0.
    pub(crate) fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

fn ratio(num: u32, den: u32) -> f64 {
    if den == 0 {
        0.0
    } else {
        f64::from(num) / f64::from(den)
    }
}

/// The threshold that maximizes accuracy of `score >= threshold` on `scores` and `labels`.
///
/// Candidates are the lowest score (everything positive), the midpoints between consecutive
/// distinct scores, and just above the highest (nothing positive). Among thresholds of equal
/// accuracy the lowest wins, so the result is a function of the data alone. Returns 0 for no
/// scores.
pub(crate) fn best_threshold(scores: &[f32], labels: &[bool]) -> f32 {
    let mut order: Vec<(f32, bool)> = scores.iter().copied().zip(labels.iter().copied()).collect();
    order.sort_by(|x, y| x.0.total_cmp(&y.0));
    let Some(&(lowest, _)) = order.first() else {
        return 0.0;
    };
    // Everything at or above the threshold is positive: start with all positive.
    let mut correct: i64 = order.iter().filter(|(_, label)| *label).count() as i64;
    let (mut best, mut best_correct) = (lowest, correct);
    let mut k = 0;
    while k < order.len() {
        let value = order[k].0;
        // Move the threshold past every score equal to `value`.
        while k < order.len() && order[k].0 == value {
            correct += if order[k].1 { -1 } else { 1 };
            k += 1;
        }
        let threshold = match order.get(k) {
            Some(&(next, _)) => value + (next - value) / 2.0,
            None => value.next_up(),
        };
        if correct > best_correct {
            (best, best_correct) = (threshold, correct);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_of_a_hand_counted_example() {
        // Scores against a threshold of 0.5: tp = 3 (0.9, 0.8, 0.6), fp = 1 (0.7),
        // fn = 1 (0.2), tn = 2 (0.4, 0.1).
        let scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.2, 0.1];
        let labels = [true, true, false, true, false, true, false];
        let c = Confusion::at(&scores, &labels, 0.5);
        assert_eq!(
            c,
            Confusion {
                tp: 3,
                fp: 1,
                tn: 2,
                fn_: 1
            }
        );
        assert!((c.accuracy() - 5.0 / 7.0).abs() < 1e-12);
        assert!((c.precision() - 0.75).abs() < 1e-12);
        assert!((c.recall() - 0.75).abs() < 1e-12);
        assert!((c.f1() - 0.75).abs() < 1e-12);
    }

    #[test]
    fn empty_confusion_is_zero_not_nan() {
        let c = Confusion::default();
        assert_eq!(
            (c.accuracy(), c.precision(), c.recall(), c.f1()),
            (0.0, 0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn threshold_separates_separable_scores() {
        let t = best_threshold(&[0.1, 0.3, 0.6, 0.8], &[false, false, true, true]);
        assert!((t - 0.45).abs() < 1e-6);
    }

    #[test]
    fn threshold_picks_the_most_accurate_cut() {
        // Cutting at 0.5 gets 4 of 5 right (0.6 is a false positive); no cut does better.
        let scores = [0.2, 0.4, 0.6, 0.7, 0.9];
        let labels = [false, false, false, true, true];
        let t = best_threshold(&scores, &labels);
        assert!((t - 0.65).abs() < 1e-6);
        assert_eq!(Confusion::at(&scores, &labels, t).accuracy(), 1.0);
        let noisy = [false, false, true, false, true];
        let t = best_threshold(&scores, &noisy);
        assert_eq!(
            Confusion::at(&scores, &noisy, t).tp + Confusion::at(&scores, &noisy, t).tn,
            4
        );
    }

    #[test]
    fn threshold_may_call_everything_a_paraphrase() {
        // All positive is right 3 times of 4; no cut does better, and the lowest threshold wins.
        let scores = [0.5, 0.5, 0.6, 0.7];
        let labels = [true, false, true, true];
        assert_eq!(best_threshold(&scores, &labels), 0.5);
        assert_eq!(best_threshold(&[], &[]), 0.0);
    }

    #[test]
    fn tied_scores_move_together() {
        // Three pairs tie at 0.5; a threshold cannot split them.
        let scores = [0.5, 0.5, 0.5, 0.9];
        let labels = [false, false, true, true];
        let t = best_threshold(&scores, &labels);
        assert!((t - 0.7).abs() < 1e-6);
    }
}
