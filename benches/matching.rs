//! Speed of matching and loading: the bundled facts, and synthetic bases of 1k, 10k and 100k
//! question patterns. Targets (issue 2): < 20 µs median per question on the bundled facts,
//! < 1 ms at 100k patterns, loading 10k facts < 200 ms.
//!
//! The load cases return each snapshot to criterion, which frees it outside the timed part
//! (`iter_with_large_drop`, or after the routine of `iter_batched`): a reload frees the old
//! snapshot only once the last request holding it ends, not as part of loading the new one.
//!
//! Loading the same facts again reuses the analyzer built for their synonyms (a reload with
//! unchanged synonyms); the `cold` cases give every iteration new synonyms, so each one builds
//! it from scratch like a process's first load.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use criterion::{black_box, criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use factbot::matcher::MatchSettings;
use factbot::store::Snapshot;

/// The allocator of the `factbot` binary (see `src/main.rs`), so that what is measured is
/// what the binary does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const QUESTIONS: &[&str] = &[
    "When did Boluarte travel to China?",
    "<@123> hey 👋 how many professionals will huawei train?",
    "¿Qué día volvió la presidenta a Lima?",
    "cosco shiping new terminal peru",
    "Did Boluarte visit Japan?",
];

fn bundled(c: &mut Criterion) {
    let facts = Path::new(env!("CARGO_MANIFEST_DIR")).join("facts");
    let snapshot = Snapshot::load(&[facts], &MatchSettings::default()).expect("bundled facts load");
    let mut group = c.benchmark_group("bundled");
    for question in QUESTIONS {
        group.bench_with_input(BenchmarkId::new("ask", question), question, |b, q| {
            b.iter(|| snapshot.matcher.ask(black_box(q)))
        });
    }
    group.finish();
}

fn bundled_load(c: &mut Criterion) {
    let facts = Path::new(env!("CARGO_MANIFEST_DIR")).join("facts/peru-china-visit-2024.toml");
    let text = std::fs::read_to_string(&facts).expect("bundled facts");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("facts.toml");
    std::fs::write(&path, &text).expect("write facts");
    let mut group = c.benchmark_group("bundled-load");
    group.bench_function("warm", |b| b.iter_with_large_drop(|| load_snapshot(&path)));
    let mut n = 0;
    group.bench_function("cold", |b| {
        b.iter_batched(
            || with_new_synonym(&path, &text, &mut n),
            |()| load_snapshot(&path),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn load_snapshot(path: &Path) -> Snapshot {
    Snapshot::load(
        black_box(std::slice::from_ref(&path.to_path_buf())),
        &MatchSettings::default(),
    )
    .expect("load")
}

/// Writes `text` to `path` with one synonym no earlier iteration had, so that loading it must
/// build its analyzer anew.
fn with_new_synonym(path: &Path, text: &str, n: &mut usize) {
    *n += 1;
    let mut text = text.to_owned();
    if !text.contains("\n[synonyms]\n") {
        text.push_str("\n[synonyms]\n");
        let _ = writeln!(text, "benchsynonym = [\"benchvariant{n}\"]");
    } else {
        let line = format!("[synonyms]\nbenchsynonym = [\"benchvariant{n}\"]\n");
        text = text.replacen("[synonyms]\n", &line, 1);
    }
    std::fs::write(path, text).expect("write facts");
}

/// A deterministic pseudo-random generator, so every run measures the same base.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// Skewed towards small numbers, like word frequencies in real text.
    fn zipf(&mut self, n: u64) -> u64 {
        let uniform = (self.next() % 10_000) as f64 / 10_000.0;
        ((n as f64).powf(uniform) as u64)
            .saturating_sub(1)
            .min(n - 1)
    }
}

fn word(index: u64) -> String {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ter", "san", "po", "ru", "vel", "din", "ga", "sho", "ne", "bra", "tu",
        "que", "lin",
    ];
    let mut word = String::new();
    let mut rest = index + 16;
    while rest > 0 {
        word.push_str(SYLLABLES[(rest % 16) as usize]);
        rest /= 16;
    }
    word
}

/// Facts a synthetic file holds at most: a file of 2,000 is about 1.1 MB, under the default
/// limit of a facts file (2 MiB), as a moderator would split a large story.
const FACTS_A_FILE: usize = 2_000;

/// Writes a facts folder with `n_facts` facts of five patterns each, over a vocabulary of
/// `n_facts * 2` words, in files of at most [`FACTS_A_FILE`] facts.
fn synthetic(dir: &Path, n_facts: usize) -> PathBuf {
    let mut rng = Lcg(n_facts as u64);
    let vocabulary = (n_facts as u64 * 2).max(200);
    let folder = dir.join(format!("synthetic-{n_facts}"));
    std::fs::create_dir_all(&folder).expect("synthetic facts folder");
    let source = |part: usize| {
        format!("[[sources]]\nid = \"synthetic-{part}\"\npublisher = \"Bench\"\ntitle = \"Synthetic\"\npublished = 2024-07-04\n")
    };
    let mut toml = source(0);
    let sentence = |rng: &mut Lcg, words: usize| {
        (0..words)
            .map(|_| word(rng.zipf(vocabulary)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    for fact in 0..n_facts {
        if fact > 0 && fact % FACTS_A_FILE == 0 {
            let part = fact / FACTS_A_FILE;
            let file = folder.join(format!("part-{}.toml", part - 1));
            std::fs::write(file, std::mem::replace(&mut toml, source(part)))
                .expect("write synthetic facts");
        }
        let questions: Vec<String> = (0..5)
            .map(|_| format!("\"What {}?\"", sentence(&mut rng, 5)))
            .collect();
        let follow_up = (fact + 1) % n_facts;
        let _ = write!(
            toml,
            "\n[[facts]]\nid = \"f{fact}\"\nquestions = [{}]\nanswer = \"{}.\"\nsnippet = \"{}\"\nfollow_ups = [\"f{follow_up}\"]\n",
            questions.join(", "),
            sentence(&mut rng, 12),
            sentence(&mut rng, 20)
        );
    }
    let last = folder.join(format!(
        "part-{}.toml",
        n_facts.saturating_sub(1) / FACTS_A_FILE
    ));
    std::fs::write(last, toml).expect("write synthetic facts");
    folder
}

fn synthetic_bases(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ask = c.benchmark_group("synthetic-ask");
    for n_patterns in [1_000, 10_000, 100_000] {
        let path = synthetic(dir.path(), n_patterns / 5);
        let snapshot =
            Snapshot::load(&[path], &MatchSettings::default()).expect("synthetic facts load");
        let mut rng = Lcg(7);
        let questions: Vec<String> = (0..64)
            .map(|_| {
                (0..6)
                    .map(|_| word(rng.zipf(n_patterns as u64 / 5 * 2)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let mut i = 0;
        ask.bench_function(BenchmarkId::from_parameter(n_patterns), |b| {
            b.iter(|| {
                i = (i + 1) % questions.len();
                snapshot.matcher.ask(black_box(&questions[i]))
            })
        });
    }
    ask.finish();

    let mut load = c.benchmark_group("synthetic-load");
    load.sample_size(10);
    for n_facts in [1_000, 10_000] {
        let path = synthetic(dir.path(), n_facts);
        load.bench_function(BenchmarkId::new("facts", n_facts), |b| {
            b.iter_with_large_drop(|| load_snapshot(&path))
        });
    }
    for n_facts in [1_000, 10_000] {
        let path = synthetic(dir.path(), n_facts);
        // The stories come in files of `FACTS_A_FILE` facts: the synonym goes in the first.
        let first = path.join("part-0.toml");
        let text = std::fs::read_to_string(&first).expect("read synthetic facts");
        let mut n = 0;
        load.bench_function(BenchmarkId::new("cold", n_facts), |b| {
            b.iter_batched(
                || with_new_synonym(&first, &text, &mut n),
                |()| load_snapshot(&path),
                BatchSize::PerIteration,
            )
        });
    }
    load.finish();
}

criterion_group!(benches, bundled, bundled_load, synthetic_bases);
criterion_main!(benches);
