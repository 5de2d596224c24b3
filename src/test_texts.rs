//! Texts the unit tests run over: the text samples, and the corpus reports' layout text where
//! `../shared/corpus` is present (a fresh clone elsewhere has only the samples).

/// The text of each text sample and corpus layout text.
pub(crate) fn sample_and_corpus_texts() -> Vec<String> {
    let mut files = vec![
        "samples/yuquan-2021.txt".to_string(),
        "samples/qinghe-2027-budget.txt".to_string(),
    ];
    match std::fs::read_dir("../shared/corpus/reports") {
        Ok(dir) => files.extend(
            dir.flatten()
                .map(|e| e.path().display().to_string())
                .filter(|p| p.ends_with(".txt")),
        ),
        Err(e) => eprintln!("corpus texts skipped: ../shared/corpus/reports: {e}"),
    }
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}")))
        .collect()
}

/// Random numbers for the tests' made-up texts, the same on every run (xorshift64 from
/// `seed`): each call gives a number below its argument.
pub(crate) fn random_below(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}
