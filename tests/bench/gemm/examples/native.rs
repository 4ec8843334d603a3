//! The products of `gemm-bench`, timed natively: the best of `ROUNDS` (default 7) rounds of
//! each, as `tests/bench/gemm.mjs` times them in the browser.
use std::time::Instant;

fn main() {
    let rounds: usize = std::env::var("ROUNDS").map_or(7, |r| r.parse().expect("ROUNDS: a count"));
    let mut total = 0.0;
    for index in 0..gemm_bench::products() {
        let multiply_adds = gemm_bench::multiply_adds(index);
        let reps = gemm_bench::reps(index);
        gemm_bench::run(index, gemm_bench::warm_up_reps());
        let best = (0..rounds)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(gemm_bench::run(index, reps));
                started.elapsed().as_secs_f64() * 1e3 / f64::from(reps)
            })
            .fold(f64::INFINITY, f64::min);
        total += best;
        let rate = multiply_adds / best / 1e6;
        println!(
            "  {:<24} {best:7.3} ms {rate:6.2} GMAC/s",
            gemm_bench::name(index)
        );
    }
    println!("  {:<24} {total:7.3} ms", "all 17");
}
