//! A small, deterministic logistic-regression fitter: Newton's method (IRLS) with an L2
//! penalty on standardized features, for a fixed number of iterations.
//!
//! The features are centred and scaled to unit variance before the fit, so one penalty suits
//! them all and the Newton steps are well conditioned; the coefficients are then mapped back
//! onto the raw features, so that a caller applies them to unscaled values. The intercept is
//! not penalized. Sums run in input order in `f64`, so the same data give the same bits.

/// Fitted coefficients, on the raw (unstandardized) features.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Model {
    /// The log-odds when every feature is 0.
    pub(crate) intercept: f64,
    /// One weight per feature.
    pub(crate) weights: Vec<f64>,
}

impl Model {
    /// The probability of the positive class for one row of raw features.
    pub(crate) fn probability(&self, row: &[f64]) -> f64 {
        let z = self.intercept
            + self
                .weights
                .iter()
                .zip(row)
                .map(|(w, x)| w * x)
                .sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// Newton steps taken; the fit converges in fewer on every data set we use.
pub(crate) const ITERATIONS: usize = 30;

/// The L2 penalty on the standardized weights (the intercept is free).
pub(crate) const L2: f64 = 1.0;

/// Fits `labels` on `rows` (each row the same length).
pub(crate) fn fit(rows: &[Vec<f64>], labels: &[bool], l2: f64, iterations: usize) -> Model {
    let d = rows.first().map_or(0, Vec::len);
    let n = rows.len().max(1) as f64;
    let mut mean = vec![0.0; d];
    for row in rows {
        for (m, x) in mean.iter_mut().zip(row) {
            *m += x / n;
        }
    }
    let mut scale = vec![0.0; d];
    for row in rows {
        for k in 0..d {
            scale[k] += (row[k] - mean[k]).powi(2) / n;
        }
    }
    for s in &mut scale {
        *s = if *s > 1e-12 { s.sqrt() } else { 1.0 };
    }
    // Standardized rows with a leading 1 for the intercept.
    let z: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| {
            std::iter::once(1.0)
                .chain((0..d).map(|k| (row[k] - mean[k]) / scale[k]))
                .collect()
        })
        .collect();
    let mut theta = vec![0.0; d + 1];
    for _ in 0..iterations {
        let mut gradient = vec![0.0; d + 1];
        let mut hessian = vec![vec![0.0; d + 1]; d + 1];
        for (x, &y) in z.iter().zip(labels) {
            let t: f64 = theta.iter().zip(x).map(|(w, v)| w * v).sum();
            let p = 1.0 / (1.0 + (-t).exp());
            let r = p - f64::from(u8::from(y));
            let w = (p * (1.0 - p)).max(1e-9);
            for i in 0..=d {
                gradient[i] += r * x[i];
                for j in 0..=d {
                    hessian[i][j] += w * x[i] * x[j];
                }
            }
        }
        for i in 1..=d {
            gradient[i] += l2 * theta[i];
            hessian[i][i] += l2;
        }
        let Some(step) = solve(hessian, gradient) else {
            break;
        };
        for (t, s) in theta.iter_mut().zip(step) {
            *t -= s;
        }
    }
    let weights: Vec<f64> = (0..d).map(|k| theta[k + 1] / scale[k]).collect();
    let intercept = theta[0] - (0..d).map(|k| weights[k] * mean[k]).sum::<f64>();
    Model { intercept, weights }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` when `a` is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (top, bottom) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (offset, row) in bottom.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[col + 1 + offset] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_a_separable_set_and_maps_back_to_raw_features() {
        // Positive exactly when x0 > 5; x1 is noise on another scale.
        let rows: Vec<Vec<f64>> = (0..20)
            .map(|k| vec![f64::from(k) * 0.5, f64::from((k * 7) % 5) * 100.0])
            .collect();
        let labels: Vec<bool> = rows.iter().map(|r| r[0] > 5.0).collect();
        let model = fit(&rows, &labels, 0.1, ITERATIONS);
        for (row, &label) in rows.iter().zip(&labels) {
            assert_eq!(model.probability(row) >= 0.5, label, "{row:?}");
        }
        assert!(model.weights[0] > 0.0);
        // Over each feature's range, the signal moves the log-odds far more than the noise.
        assert!(model.weights[0] * 9.5 > 3.0 * (model.weights[1] * 400.0).abs());
        // Deterministic: the same data give the same bits.
        assert_eq!(model, fit(&rows, &labels, 0.1, ITERATIONS));
    }

    #[test]
    fn a_constant_feature_gets_no_weight() {
        let rows: Vec<Vec<f64>> = (0..10).map(|k| vec![f64::from(k), 3.0]).collect();
        let labels: Vec<bool> = (0..10).map(|k| k >= 5).collect();
        let model = fit(&rows, &labels, 1.0, ITERATIONS);
        assert_eq!(model.weights[1], 0.0);
        assert!(model.probability(&[9.0, 3.0]) > 0.9);
        assert!(model.probability(&[0.0, 3.0]) < 0.1);
    }

    #[test]
    fn solves_a_small_system() {
        let x = solve(vec![vec![0.0, 2.0], vec![3.0, 1.0]], vec![4.0, 5.0]).unwrap();
        assert!((x[0] - 1.0).abs() < 1e-12 && (x[1] - 2.0).abs() < 1e-12);
    }
}
