//! "Did you mean": the closest name to a misspelt one, by edit distance. Resolution, the parser,
//! the workspace loader and the checker's rule, selector and configuration loaders all suggest
//! names with it.

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    closest(word, candidates).map(|(_, name)| name)
}

/// The closest candidate to `word` and its distance (the smallest `(distance, name)`), if it is
/// within a third of the word's length.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<(usize, &'a str)> {
    let length = word.chars().count();
    let limit = (length / 3).max(1);
    // The word's ASCII letters, counted: most candidates are ruled out by a bound on the
    // distance that they give (a scope holds every element of the workspace).
    let mut counts = word.is_ascii().then(|| {
        let mut counts = [0_i16; 128];
        for byte in word.bytes() {
            counts[usize::from(byte)] += 1;
        }
        counts
    });
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        // A candidate further than the best so far cannot replace it.
        let within = best.map_or(limit, |(best_distance, _)| best_distance);
        // The distance is at least the difference in length.
        let candidate_length = if candidate.is_ascii() {
            candidate.len()
        } else {
            candidate.chars().count()
        };
        if candidate_length.abs_diff(length) > within {
            continue;
        }
        let distance = if candidate.eq_ignore_ascii_case(word) {
            0
        } else {
            if let Some(counts) = counts.as_mut()
                && candidate.is_ascii()
                && letter_difference(counts, length, candidate.as_bytes()) > within
            {
                continue;
            }
            strsim::levenshtein(word, candidate)
        };
        if distance <= limit
            && best.is_none_or(|(best_distance, best_name)| {
                (distance, candidate) < (best_distance, best_name)
            })
        {
            best = Some((distance, candidate));
        }
    }
    best
}

/// A lower bound on the edit distance between an ASCII word (its letters counted in `counts`,
/// `length` of them) and an ASCII `candidate`: the letters one has that the other lacks. Each
/// insertion, deletion or substitution mends at most one of those on either side. `counts` is
/// left as it was found.
fn letter_difference(counts: &mut [i16; 128], length: usize, candidate: &[u8]) -> usize {
    let mut unmatched = 0;
    for &byte in candidate {
        let count = &mut counts[usize::from(byte & 0x7f)];
        *count -= 1;
        if *count < 0 {
            unmatched += 1;
        }
    }
    for &byte in candidate {
        counts[usize::from(byte & 0x7f)] += 1;
    }
    let missing = length - (candidate.len() - unmatched);
    unmatched.max(missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `closest` without its shortcuts: every candidate's distance computed.
    fn closest_by_brute_force<'a>(word: &str, candidates: &[&'a str]) -> Option<(usize, &'a str)> {
        let limit = (word.chars().count() / 3).max(1);
        candidates
            .iter()
            .filter(|candidate| **candidate != word)
            .map(|candidate| {
                let distance = if candidate.eq_ignore_ascii_case(word) {
                    0
                } else {
                    strsim::levenshtein(word, candidate)
                };
                (distance, *candidate)
            })
            .filter(|(distance, _)| *distance <= limit)
            .min()
    }

    #[test]
    fn suggestions_pick_the_nearest_name() {
        let names = ["ubnd", "ubnd_hn", "lgsp", "so_tttt", "Ubnd"];
        assert_eq!(closest("ubndd", names.into_iter()), Some((1, "ubnd")));
        assert_eq!(closest("ubnd", names.into_iter()), Some((0, "Ubnd")));
        assert_eq!(closest("so_ttt", names.into_iter()), Some((1, "so_tttt")));
        assert_eq!(closest("camera", names.into_iter()), None);
        assert_eq!(
            closest("hệ_thống", ["hệ_thông", "he_thong"].into_iter()),
            Some((1, "hệ_thông"))
        );
    }

    proptest! {
        #[test]
        fn the_shortcuts_never_change_the_suggestion(
            word in "[abcAB_é0-9]{0,12}",
            candidates in proptest::collection::vec("[abcAB_é0-9]{0,14}", 0..40),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            prop_assert_eq!(
                closest(&word, candidates.iter().copied()),
                closest_by_brute_force(&word, &candidates)
            );
        }
    }
}
