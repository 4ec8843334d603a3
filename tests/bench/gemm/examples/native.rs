//! The products of `gemm-bench`, timed natively: the best of 5 rounds of each, as
//! `tests/bench/gemm.mjs` times them in the browser.
use std::time::Instant;

fn main() {
    let mut total = 0.0;
    for index in 0..gemm_bench::products() {
        let multiply_adds = gemm_bench::multiply_adds(index);
        let reps = (1.5e8 / multiply_adds).round().max(5.0) as u32;
        gemm_bench::run(index, 50);
        let best = (0..5)
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
