//! The evaluation round's sheet loader: see [`ticheck_fuzz::evaluation_round`] for what is fed
//! and what must hold.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ticheck_fuzz::evaluation_round(data));
