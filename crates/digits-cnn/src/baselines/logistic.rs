//! Multinomial logistic regression, the objective of scikit-learn's `LogisticRegression()`:
//! a softmax over `W·x + b`, minimising the mean cross-entropy plus `‖W‖² / (2·C·n)` (L2 on
//! the weights, not on the intercepts), solved to convergence by L-BFGS.
//!
//! The objective is convex and its optimum is unique in `W` and in the probabilities, so a
//! converged solver matches scikit-learn's (whose default `max_iter=100` often stops
//! before convergence on raw 0..16 pixels; set a large `max_iter` to compare).

use std::collections::VecDeque;

use super::{all_features, features};
use crate::data::{Dataset, Image};
use crate::prediction::InputScale;
use crate::{CLASSES, PIXELS};

/// Parameters per class: the weights, then the intercept.
const STRIDE: usize = PIXELS + 1;
/// Parameters in all.
const PARAMETERS: usize = CLASSES * STRIDE;

/// How the model is fitted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogisticSettings {
    /// Inverse regularisation strength, scikit-learn's `C`.
    pub c: f64,
    /// Stop when no gradient component of the (mean) objective exceeds this.
    pub tolerance: f64,
    /// Stop after this many L-BFGS iterations even if not converged.
    pub max_iterations: usize,
}

/// scikit-learn's `C = 1.0`, solved well past its default tolerance.
impl Default for LogisticSettings {
    fn default() -> Self {
        LogisticSettings {
            c: 1.0,
            tolerance: 1e-6,
            max_iterations: 10_000,
        }
    }
}

/// A fitted multinomial logistic regression.
#[derive(Clone, Debug, PartialEq)]
pub struct LogisticRegression {
    scale: InputScale,
    /// Per class: 64 weights, then the intercept.
    parameters: Vec<f64>,
    iterations: usize,
    converged: bool,
}

impl LogisticRegression {
    /// Fits the model to `train`, its pixels scaled as `scale` says.
    pub fn fit(train: &Dataset, scale: InputScale, settings: LogisticSettings) -> Self {
        let problem = Problem::new(train, scale, settings.c);
        let (parameters, iterations, converged) = lbfgs(&problem, settings);
        LogisticRegression {
            scale,
            parameters,
            iterations,
            converged,
        }
    }

    /// The weights of `class`, one per pixel (scikit-learn's `coef_[class]`).
    pub fn weights(&self, class: usize) -> &[f64] {
        &self.parameters[class * STRIDE..class * STRIDE + PIXELS]
    }

    /// The intercepts, centred to sum to 0 (adding the same number to every intercept
    /// changes no probability, so only their differences are determined).
    pub fn intercepts(&self) -> [f64; CLASSES] {
        let raw: [f64; CLASSES] = std::array::from_fn(|c| self.parameters[c * STRIDE + PIXELS]);
        let mean = raw.iter().sum::<f64>() / CLASSES as f64;
        raw.map(|b| b - mean)
    }

    /// L-BFGS iterations run.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Whether the gradient fell below the tolerance (else the iteration cap stopped it).
    pub fn converged(&self) -> bool {
        self.converged
    }

    /// The class probabilities of each image.
    pub fn predict_probabilities(&self, images: &[Image]) -> Vec<[f32; CLASSES]> {
        images
            .iter()
            .map(|image| {
                let x = features(image, self.scale);
                softmax(&self.parameters, &x).map(|p| p as f32)
            })
            .collect()
    }
}

/// The softmax of `W·x + b` in f64.
fn softmax(parameters: &[f64], x: &[f32; PIXELS]) -> [f64; CLASSES] {
    let mut logits: [f64; CLASSES] = std::array::from_fn(|c| {
        let row = &parameters[c * STRIDE..(c + 1) * STRIDE];
        row[..PIXELS]
            .iter()
            .zip(x)
            .map(|(w, &v)| w * f64::from(v))
            .sum::<f64>()
            + row[PIXELS]
    });
    let top = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for logit in &mut logits {
        *logit = (*logit - top).exp();
        total += *logit;
    }
    logits.map(|e| e / total)
}

/// The training rows and the penalty: the objective and its gradient.
struct Problem {
    features: Vec<[f32; PIXELS]>,
    labels: Vec<u8>,
    /// `1 / (C·n)`: the L2 weight of the mean objective.
    penalty: f64,
}

impl Problem {
    fn new(train: &Dataset, scale: InputScale, c: f64) -> Self {
        Problem {
            features: all_features(&train.images, scale),
            labels: train.labels.clone(),
            penalty: 1.0 / (c * train.len().max(1) as f64),
        }
    }

    /// The objective at `parameters`, and its gradient written into `gradient`.
    fn evaluate(&self, parameters: &[f64], gradient: &mut [f64]) -> f64 {
        gradient.fill(0.0);
        let n = self.labels.len().max(1) as f64;
        let mut loss = 0.0;
        for (x, &label) in self.features.iter().zip(&self.labels) {
            let mut p = softmax(parameters, x);
            loss -= p[usize::from(label)].max(f64::MIN_POSITIVE).ln();
            p[usize::from(label)] -= 1.0;
            for (class, &error) in p.iter().enumerate() {
                let row = &mut gradient[class * STRIDE..(class + 1) * STRIDE];
                for (g, &v) in row[..PIXELS].iter_mut().zip(x) {
                    *g += error * f64::from(v);
                }
                row[PIXELS] += error;
            }
        }
        let mut penalty = 0.0;
        for (index, (g, &w)) in gradient.iter_mut().zip(parameters).enumerate() {
            *g /= n;
            if index % STRIDE != PIXELS {
                *g += self.penalty * w;
                penalty += w * w;
            }
        }
        loss / n + 0.5 * self.penalty * penalty
    }
}

/// Pairs (s, y) L-BFGS remembers.
const MEMORY: usize = 10;

/// Minimises the problem from zero: the parameters, the iterations run and whether it
/// converged. The line search backtracks until [`sufficient_decrease`] holds; on a convex
/// objective every kept pair has positive curvature.
fn lbfgs(problem: &Problem, settings: LogisticSettings) -> (Vec<f64>, usize, bool) {
    let mut x = vec![0.0; PARAMETERS];
    let mut g = vec![0.0; PARAMETERS];
    let mut f = problem.evaluate(&x, &mut g);
    let mut history: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::with_capacity(MEMORY);
    let (mut x_new, mut g_new) = (vec![0.0; PARAMETERS], vec![0.0; PARAMETERS]);
    for iteration in 0..settings.max_iterations {
        if max_abs(&g) <= settings.tolerance {
            return (x, iteration, true);
        }
        let mut direction = two_loop(&g, &history);
        let mut slope = dot(&direction, &g);
        if slope >= 0.0 {
            // Not a descent direction (rounding): restart from steepest descent.
            history.clear();
            direction = g.iter().map(|v| -v).collect();
            slope = dot(&direction, &g);
        }
        let mut step = if history.is_empty() {
            (1.0 / max_abs(&g)).min(1.0)
        } else {
            1.0
        };
        let f_new = loop {
            for ((xn, &xi), &d) in x_new.iter_mut().zip(&x).zip(&direction) {
                *xn = xi + step * d;
            }
            let f_new = problem.evaluate(&x_new, &mut g_new);
            if sufficient_decrease(f, f_new, slope, dot(&g_new, &direction), step) || step < 1e-20 {
                break f_new;
            }
            step *= 0.5;
        };
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let curvature = dot(&s, &y);
        if curvature > 1e-12 * dot(&y, &y).sqrt() * dot(&s, &s).sqrt() {
            if history.len() == MEMORY {
                history.pop_front();
            }
            history.push_back((s, y, 1.0 / curvature));
        }
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        f = f_new;
    }
    let converged = max_abs(&g) <= settings.tolerance;
    (x, settings.max_iterations, converged)
}

/// Armijo's condition, or near the optimum, where the objective's change is lost in its
/// rounding, Hager and Zhang's approximate form of it: the slope along the direction at
/// the new point, `new_slope`, has not overshot.
fn sufficient_decrease(f: f64, f_new: f64, slope: f64, new_slope: f64, step: f64) -> bool {
    const ARMIJO: f64 = 1e-4;
    f_new <= f + ARMIJO * step * slope
        || (f_new <= f + 1e-12 * f.abs() && new_slope <= (2.0 * ARMIJO - 1.0) * slope)
}

/// L-BFGS's two-loop recursion: minus the inverse-Hessian estimate times `g`.
fn two_loop(g: &[f64], history: &VecDeque<(Vec<f64>, Vec<f64>, f64)>) -> Vec<f64> {
    let mut q = g.to_vec();
    let mut alphas = Vec::with_capacity(history.len());
    for (s, y, rho) in history.iter().rev() {
        let alpha = rho * dot(s, &q);
        q.iter_mut().zip(y).for_each(|(qi, yi)| *qi -= alpha * yi);
        alphas.push(alpha);
    }
    if let Some((s, y, _)) = history.back() {
        let gamma = dot(s, y) / dot(y, y);
        q.iter_mut().for_each(|qi| *qi *= gamma);
    }
    for ((s, y, rho), alpha) in history.iter().zip(alphas.iter().rev()) {
        let beta = rho * dot(y, &q);
        q.iter_mut()
            .zip(s)
            .for_each(|(qi, si)| *qi += (alpha - beta) * si);
    }
    q.iter_mut().for_each(|qi| *qi = -*qi);
    q
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}
