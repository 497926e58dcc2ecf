//! Table cells wrapped before comfy-table sees them (issue 12: "ids and Chinese words never
//! broken mid-token"). comfy-table breaks a line at spaces and then anywhere; here the break
//! opportunities are those of Unicode line breaking (UAX #14, through textwrap): between CJK
//! characters, never before closing punctuation (，。、；：）」』”) nor after opening punctuation
//! (（「『“). On top of that a run of non-CJK characters without spaces — a clause id
//! (`A10.4.rnd-spend`), a field path (`record.transfer_benefit`), a file name with its row
//! (`fixtures/batch/messy.xlsx:3`), a number with its unit (`58.2%`, `2022年`, `4 项`) — stays
//! whole. Only a token longer than the column is broken, after a `.`, `/`, `-`, `_` or `:` (or a
//! CJK comma inside it), and within a word only if a part between those is itself longer than the
//! column.
//!
//! Every line of [`wrap`]'s result is at most the given display width (CJK counting two), so
//! [`table`] builds the table with its columns fixed and comfy-table breaks nothing. The other
//! tables of ticheck (`ticheck rules`, `explain`, `evaluate`) can be built with [`table`] too.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width};
use textwrap::core::{display_width, Fragment};
use textwrap::WordSeparator;

/// How a column is sized by [`layout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Exactly this content width.
    Fixed(usize),
    /// What its content needs, up to this width.
    AtMost(usize),
    /// What its content needs and at least this width if the table is tight.
    AtLeast(usize),
    /// What its content needs, as far as the table's width allows.
    Free,
}

/// A table laid out for the output's width ([`super::output_width`]): each column's width is
/// chosen by [`layout`] and its cells wrapped to it by [`wrap`], so that comfy-table, its columns
/// fixed, breaks no line itself: no id, path or number is broken, and no line of a Chinese cell
/// starts with a closing mark. `fits` may be shorter than the header (the rest are `Free`).
pub fn table(header: Vec<String>, rows: Vec<Vec<String>>, fits: &[Fit]) -> Table {
    let columns: Vec<Vec<&str>> = (0..header.len())
        .map(|i| {
            std::iter::once(header[i].as_str())
                .chain(rows.iter().map(|row| row[i].as_str()))
                .collect()
        })
        .collect();
    let widths = layout(usize::from(super::output_width()), &columns, fits);
    let wrapped = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .zip(&widths)
            .map(|(cell, &width)| wrap(cell, width))
            .collect()
    };
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(wrapped(&header));
    for row in &rows {
        table.add_row(wrapped(row));
    }
    table.set_constraints(widths.iter().map(|&width| {
        let width = u16::try_from(width + 2).unwrap_or(u16::MAX);
        ColumnConstraint::Absolute(Width::Fixed(width))
    }));
    table
}

/// The widest line of a cell, in terminal columns.
pub fn width(text: &str) -> usize {
    text.split('\n').map(display_width).max().unwrap_or(0)
}

/// The widest piece of a cell that [`wrap`] keeps whole if it can (a clause id, a path, one
/// CJK character with its punctuation).
pub fn longest_token(text: &str) -> usize {
    text.split('\n')
        .flat_map(|line| pieces(line).into_iter().map(|piece| piece.width))
        .max()
        .unwrap_or(0)
}

/// The content width of each column of a table `total` columns wide with `columns.len()`
/// columns (one border between and around them, a space of padding each side): each column as
/// wide as its widest line if all fit; otherwise the narrow ones keep theirs and the rest share
/// what is left, none narrower than its longest token (or its `AtLeast`) while another can give.
/// `columns[i]` holds the cells of column `i`, its header included.
pub fn layout(total: usize, columns: &[Vec<&str>], fits: &[Fit]) -> Vec<usize> {
    let n = columns.len();
    let fit = |i: usize| fits.get(i).copied().unwrap_or(Fit::Free);
    let desired: Vec<usize> = (0..n)
        .map(|i| {
            let needed = columns[i].iter().map(|cell| width(cell)).max().unwrap_or(0);
            match fit(i) {
                Fit::Fixed(fixed) => fixed,
                Fit::AtMost(most) => needed.min(most),
                Fit::AtLeast(_) | Fit::Free => needed,
            }
        })
        .collect();
    let available = total.saturating_sub(3 * n + 1);
    if desired.iter().sum::<usize>() <= available {
        return desired;
    }
    // First no token broken (unless it would take more than a third of the table: a long path
    // is broken after a `/`), then no column of words narrower than `FLOOR` while another has
    // more.
    const FLOOR: usize = 16;
    let hard: Vec<usize> = (0..n)
        .map(|i| {
            let token = columns[i]
                .iter()
                .map(|cell| longest_token(cell))
                .max()
                .unwrap_or(0);
            let least = match fit(i) {
                Fit::AtLeast(least) => least,
                _ => 1,
            };
            token.min(available / 3).max(least).min(desired[i]).max(1)
        })
        .collect();
    let soft: Vec<usize> = (0..n).map(|i| hard[i].max(desired[i].min(FLOOR))).collect();
    let mut widths = desired.clone();
    let mut open: Vec<usize> = (0..n)
        .filter(|&i| !matches!(fit(i), Fit::Fixed(_)))
        .collect();
    let mut remaining = available.saturating_sub(
        (0..n)
            .filter(|i| !open.contains(i))
            .map(|i| desired[i])
            .sum(),
    );
    // Water-filling: a column that needs less than an equal share keeps what it needs.
    while !open.is_empty() {
        let share = remaining / open.len();
        let (small, large): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| desired[i] <= share);
        if small.is_empty() {
            for (k, &i) in large.iter().enumerate() {
                widths[i] = share + usize::from(k < remaining % large.len());
            }
            break;
        }
        remaining -= small.iter().map(|&i| desired[i]).sum::<usize>();
        open = large;
    }
    // A column below its minimum takes a column from the one with most to spare.
    for minimum in [&hard, &soft] {
        raise(&mut widths, minimum, |j| !matches!(fit(j), Fit::Fixed(_)));
    }
    widths
}

fn raise(widths: &mut [usize], minimum: &[usize], flexible: impl Fn(usize) -> bool) {
    let n = widths.len();
    for i in 0..n {
        while widths[i] < minimum[i] {
            let donor = (0..n)
                .filter(|&j| j != i && flexible(j))
                .filter(|&j| widths[j] > minimum[j])
                .max_by_key(|&j| widths[j] - minimum[j]);
            match donor {
                Some(j) => {
                    widths[j] -= 1;
                    widths[i] += 1;
                }
                None => break,
            }
        }
    }
}

/// `text` with line breaks added so that no line is wider than `width` columns. Nothing is
/// dropped but the spaces at which a line is broken: the lines joined again (at those spaces)
/// give the text back.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(1);
    let mut out = String::with_capacity(text.len() + 8);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if display_width(line) <= width {
            out.push_str(line);
            continue;
        }
        let mut fragments = Vec::new();
        for piece in bracketed(line, pieces(line), width) {
            if piece.width <= width {
                fragments.push(piece);
            } else {
                fragments.extend(split_token(piece, width));
            }
        }
        for (n, row) in lines(&fragments, width).into_iter().enumerate() {
            if n > 0 {
                out.push('\n');
            }
            for (k, fragment) in row.iter().enumerate() {
                out.push_str(fragment.text);
                if k + 1 < row.len() {
                    out.push_str(fragment.space);
                }
            }
        }
    }
    out
}

/// First fit (textwrap's `wrap_first_fit`), except that a line which would end between two CJK
/// characters ends instead at an earlier space or CJK comma if the line keeps half its
/// width: `是 且` over `前期投入 > 0 万元` rather than `是 且 前期投` over `入 > 0 万元`.
fn lines<'p, 'a>(fragments: &'p [Piece<'a>], width: usize) -> Vec<&'p [Piece<'a>]> {
    let line_width = |line: &[Piece<'_>]| -> usize {
        line.iter()
            .enumerate()
            .map(|(k, piece)| {
                piece.width
                    + if k + 1 < line.len() {
                        display_width(piece.space)
                    } else {
                        0
                    }
            })
            .sum()
    };
    // A CJK comma, or a space between words (not the spaces around a number: `第 8 行`).
    let soft = |k: usize| {
        let (before, after) = (&fragments[k - 1], &fragments[k]);
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        before.text.ends_with(['，', '、', '；', '。', '：'])
            || (!before.space.is_empty()
                && !digit(before.text.chars().next_back())
                && !digit(after.text.chars().next()))
    };
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..fragments.len() {
        if i > start && line_width(&fragments[start..=i]) > width {
            let mut cut = i;
            // Only a break inside a run of CJK text backs off.
            if fragments[i - 1].space.is_empty() && !soft(i) {
                if let Some(k) = (start + 1..i)
                    .rev()
                    .find(|&k| soft(k))
                    .filter(|&k| 2 * line_width(&fragments[start..k]) >= width)
                {
                    cut = k;
                }
            }
            out.push(&fragments[start..cut]);
            start = cut;
            // A suffix of a line that fitted, and the fragment that did not: wrap again from it.
            while i > start && line_width(&fragments[start..=i]) > width {
                out.push(&fragments[start..i]);
                start = i;
            }
        }
    }
    if start < fragments.len() || out.is_empty() {
        out.push(&fragments[start..]);
    }
    out
}

/// A piece of a line kept whole if it can be: its text and the spaces after it.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    space: &'a str,
    width: usize,
}

impl Fragment for Piece<'_> {
    fn width(&self) -> f64 {
        self.width as f64
    }

    fn whitespace_width(&self) -> f64 {
        display_width(self.space) as f64
    }

    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// The line cut at its UAX #14 break opportunities, rejoined where a token would be broken.
fn pieces(line: &str) -> Vec<Piece<'_>> {
    // (start of text, end of text, end of spaces)
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    let mut offset = 0;
    for word in WordSeparator::UnicodeBreakProperties.find_words(line) {
        let (start, text_end) = (offset, offset + word.word.len());
        offset = text_end + word.whitespace.len();
        // Unicode 15.1 (LB19a) breaks before `“` and after `”` among CJK characters, which
        // the line breaking of textwrap (Unicode 15.0) does not: `，“Q 列”列`.
        let mut parts = vec![start];
        let mut previous: Option<char> = None;
        for (index, c) in word.word.char_indices() {
            if let Some(before) = previous {
                if (c == '“' && wide(before)) || (before == '”' && wide(c)) {
                    parts.push(start + index);
                }
            }
            previous = Some(c);
        }
        parts.push(text_end);
        for (k, bounds) in parts.windows(2).enumerate() {
            let (from, to) = (bounds[0], bounds[1]);
            let end = if to == text_end { offset } else { to };
            match spans.last_mut() {
                Some(last)
                    if k == 0
                        && joined(
                            &line[last.0..last.1],
                            &line[last.1..last.2],
                            &line[from..to],
                        ) =>
                {
                    *last = (last.0, to, end);
                }
                _ => spans.push((from, to, end)),
            }
        }
    }
    spans
        .into_iter()
        .map(|(start, text_end, end)| Piece {
            text: &line[start..text_end],
            space: &line[text_end..end],
            width: display_width(&line[start..text_end]),
        })
        .collect()
}

/// `pass（建议性）` rather than `pass（建` over `议性）`: a group in fullwidth brackets kept on
/// one line when it fits and has no spaces (or is at most half the width).
fn bracketed<'a>(line: &'a str, pieces: Vec<Piece<'a>>, width: usize) -> Vec<Piece<'a>> {
    let offset = |text: &str| text.as_ptr() as usize - line.as_ptr() as usize;
    let mut out: Vec<Piece<'a>> = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let opens = pieces[i].text.contains('（');
        let close = (i..pieces.len())
            .take_while(|&j| {
                // Spaces inside only in a group of at most half the width: `（? = 缺数据）`.
                j == i
                    || pieces[j - 1].space.is_empty()
                    || 2 * display_width(&line[offset(pieces[i].text)..offset(pieces[j].text)])
                        <= width
            })
            .find(|&j| {
                let text = pieces[j].text;
                let after_open = if j == i {
                    text.rsplit_once('（').map_or("", |(_, rest)| rest)
                } else {
                    text
                };
                after_open.contains('）')
            });
        match close {
            Some(j) if opens && j > i => {
                let start = offset(pieces[i].text);
                let end = offset(pieces[j].text) + pieces[j].text.len();
                // `missing（提示）` whole if it fits, else `missing` over `（提示）`.
                let open = start + pieces[i].text.rfind('（').unwrap_or(0);
                let fits = [start, open]
                    .into_iter()
                    .find(|&from| display_width(&line[from..end]) <= width);
                let Some(from) = fits else {
                    out.push(pieces[i]);
                    i += 1;
                    continue;
                };
                if from > start {
                    let before = &line[start..from];
                    out.push(Piece {
                        text: before,
                        space: "",
                        width: display_width(before),
                    });
                }
                let text = &line[from..end];
                out.push(Piece {
                    text,
                    space: pieces[j].space,
                    width: display_width(text),
                });
                i = j + 1;
                continue;
            }
            _ => out.push(pieces[i]),
        }
        i += 1;
    }
    out
}

fn wide(c: char) -> bool {
    display_width(c.encode_utf8(&mut [0; 4])) > 1
}

/// Whether a break between `before` (followed by `space`) and `after` would break a token.
fn joined(before: &str, space: &str, after: &str) -> bool {
    let (Some(last), Some(first)) = (before.chars().next_back(), after.chars().next()) else {
        return false;
    };
    if space.is_empty() {
        // `A10.4.rnd-spend`, `fixtures/batch/messy.xlsx:3`, `58.2%`: no break between two
        // narrow characters; `2022年`, `I类`: none between a letter or digit and its CJK word.
        // `万元`, `亿元`: a unit of money is one word.
        let narrow = |c: char| !c.is_whitespace() && !wide(c);
        return (narrow(last) && narrow(first))
            || (last.is_ascii_alphanumeric() && wide(first))
            || (matches!(last, '万' | '亿') && first == '元');
    }
    // `4 项`, `1000 万元`, `≥ 1500`: a number stays with its unit, an operator with its number.
    let number = before.chars().any(|c| c.is_ascii_digit())
        && before
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%'));
    let operator = matches!(before, "≥" | "≤" | ">" | "<" | "=" | "≈");
    // `第 8 行`: an ordinal with its number.
    let ordinal = before.ends_with('第') && first.is_ascii_digit();
    space == " " && (number || operator || ordinal) && !first.is_whitespace()
}

/// Where a token too long for its column may be broken: after these.
const SEPARATORS: [char; 5] = ['.', '/', '-', '_', ':'];

/// A token longer than `width` in parts no longer than `width`, broken after separators (a space
/// inside a number and its unit counts as one), and inside a part only if the part alone is too
/// long. A path is broken after a `/` rather than a `.` or `:`, and after those rather than a
/// `-` or `_`, if the part keeps a third of the width: `fixtures/batch/` over `near-misses.csv:8`,
/// `facilities.` over `rnd_floor_area`.
fn split_token(piece: Piece<'_>, width: usize) -> Vec<Piece<'_>> {
    let rank = |c: char| match c {
        '/' => 3,
        '.' | ':' | '、' | '，' | '；' => 2,
        _ => 1,
    };
    let text = piece.text;
    let mut parts = Vec::new();
    let mut start = 0;
    // The places after a separator in the current part: (end, width up to there, rank).
    let mut cuts: Vec<(usize, usize, u8)> = Vec::new();
    let mut used = 0;
    for (index, c) in text.char_indices() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        while used + w > width && index > start {
            let best = cuts.iter().filter(|&&(end, _, _)| end > start).max_by_key(
                |&&(end, end_width, rank)| (if 3 * end_width >= width { rank } else { 0 }, end),
            );
            let (end, end_width) =
                best.map_or((index, used), |&(end, end_width, _)| (end, end_width));
            let part = &text[start..end];
            let trimmed = part.trim_end_matches(' ');
            parts.push(Piece {
                text: trimmed,
                space: &part[trimmed.len()..],
                width: display_width(trimmed),
            });
            used -= end_width;
            start = end;
            // The places left in what follows the cut, measured from it.
            cuts = cuts
                .into_iter()
                .filter(|&(at, _, _)| at > end)
                .map(|(at, at_width, rank)| (at, at_width - end_width, rank))
                .collect();
        }
        used += w;
        // After a CJK comma too, where quotes hold a list together: `1800、"1800m²"、…`.
        if SEPARATORS.contains(&c) || matches!(c, ' ' | '、' | '，' | '；') {
            cuts.push((index + c.len_utf8(), used, rank(c)));
        }
    }
    parts.push(Piece {
        text: &text[start..],
        space: piece.space,
        width: used,
    });
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CLOSING: &[char] = &[
        '，', '。', '、', '；', '：', '）', '」', '』', '”', '！', '？',
    ];
    const OPENING: &[char] = &['（', '「', '『', '“'];

    #[test]
    fn chinese_lines_never_start_with_closing_punctuation() {
        let text = "警告 1 条：同一申报单位重复出现：此行与第 8 行统一社会信用代码相同；请核对，同一单位只保留一行";
        for width in 8..40 {
            let wrapped = wrap(text, width);
            for line in wrapped.lines() {
                assert!(display_width(line) <= width, "{width}: {line}");
                assert!(!line.starts_with(CLOSING), "{width}: {wrapped}");
                assert!(!line.ends_with(OPENING), "{width}: {wrapped}");
            }
        }
    }

    #[test]
    fn a_number_stays_with_its_unit() {
        assert_eq!(wrap("2023年 1320 万元", 14), "2023年\n1320 万元");
        assert_eq!(
            wrap("尚有 4 项待专家论证、4 项为自行声明", 18),
            "尚有 4 项待专家论\n证、4 项为自行声明"
        );
        assert_eq!(
            wrap("实际：2022年 1250 万元", 12),
            "实际：2022年\n1250 万元"
        );
    }

    #[test]
    fn a_line_of_chinese_ends_at_a_space_or_comma_rather_than_inside_a_word() {
        assert_eq!(
            wrap("地方支持承诺：是 且 前期投入 > 0 万元", 26),
            "地方支持承诺：是 且\n前期投入 > 0 万元"
        );
        for width in 12..30 {
            let wrapped = wrap("复出现：此行与第 8 行统一社会信用代码相同", width);
            assert!(!wrapped.contains("第\n"), "{width}: {wrapped}");
        }
    }

    #[test]
    fn ids_and_paths_move_whole_to_the_next_line() {
        assert_eq!(
            wrap("缺少：applicant.national_ertc_host", 31),
            "缺少：\napplicant.national_ertc_host"
        );
        assert_eq!(
            wrap("see A10.4.rnd-spend and fixtures/batch/messy.xlsx:3", 27),
            "see A10.4.rnd-spend and\nfixtures/batch/messy.xlsx:3"
        );
    }

    #[test]
    fn a_token_longer_than_the_column_breaks_after_a_separator() {
        assert_eq!(
            wrap("fixtures/batch/candidates-gbk.csv:7", 20),
            "fixtures/batch/\ncandidates-gbk.csv:7"
        );
        assert_eq!(
            wrap("缺少：applicant.national_ertc_host", 20),
            "缺少：applicant.\nnational_ertc_host"
        );
        assert_eq!(
            wrap("fixtures/batch/near-misses.csv:8", 29),
            "fixtures/batch/\nnear-misses.csv:8"
        );
        assert_eq!(
            wrap("如 1800、\"1800m²\"、\"1800平方米\"", 20),
            "如 1800、\"1800m²\"、\n\"1800平方米\""
        );
        // No separator: broken where it must be.
        assert_eq!(wrap("abcdefghij", 4), "abcd\nefgh\nij");
    }

    #[test]
    fn the_layout_keeps_narrow_columns_and_shares_the_rest() {
        let facts = "word ".repeat(40);
        let columns = vec![
            vec!["Clause", "A10.2.industry-leader"],
            vec!["Verdict", "pass"],
            vec!["Facts", facts.as_str()],
        ];
        let widths = layout(80, &columns, &[Fit::Free, Fit::Free, Fit::Free]);
        assert_eq!(widths, vec![21, 7, 80 - 10 - 21 - 7]);
        let widths = layout(80, &columns, &[Fit::Free, Fit::Fixed(12), Fit::Free]);
        assert_eq!(widths[1], 12);
        assert_eq!(widths.iter().sum::<usize>(), 70);
    }

    fn joined_back(wrapped: &str) -> String {
        wrapped.split_whitespace().collect()
    }

    proptest! {
        #[test]
        fn nothing_is_lost_and_no_line_is_too_wide(
            text in "[a-z0-9._/: -]{0,40}|[专家论证申报单位，。、；：（）「」 0-9A-Z.-]{0,40}",
            width in 4usize..30,
        ) {
            let wrapped = wrap(&text, width);
            prop_assert_eq!(joined_back(&wrapped), joined_back(&text));
            for line in wrapped.lines() {
                prop_assert!(display_width(line) <= width, "{:?}", wrapped);
            }
        }
    }
}
