//! Numbering labels of Chinese official documents and what a heading line looks like.
//!
//! Government reports number their outline with a fixed ladder of label styles:
//! `第一部分` → `一、` → `（一）` → `1.` / `1、` → `（1）`. This module only recognises those
//! labels and reads their ordinal; deciding which labelled lines are headings and at what
//! level the document really nests them is left to the text reader and the section extractor,
//! because real reports mix the styles (Word auto-numbering rendered to text gives `1、`
//! where the author saw `一、`).

use std::sync::LazyLock;

use regex::Regex;

/// A numbering style, from the outermost to the innermost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `第一部分`, `第3部分`
    Part,
    /// `一、`, `十一、`
    Chinese,
    /// `（一）`, `(二)`
    ParenChinese,
    /// `1.`, `1．`
    ArabicDot,
    /// `1、`
    ArabicComma,
    /// `（1）`, `(2)`
    ParenArabic,
    /// `①`
    Circled,
}

impl Style {
    /// The section level SCHEMA.md gives this style when the numbering is regular
    /// (1 = 第X部分, 2 = 一、, 3 = （一）, 4 = 1. / 1、, 5 = （1））.
    pub fn default_level(self) -> u8 {
        match self {
            Style::Part => 1,
            Style::Chinese => 2,
            Style::ParenChinese => 3,
            Style::ArabicDot | Style::ArabicComma => 4,
            Style::ParenArabic | Style::Circled => 5,
        }
    }
}

/// A label found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label<'a> {
    pub style: Style,
    /// The number the label stands for (`四、` → 4, `（2）` → 2).
    pub ordinal: u32,
    /// The label as written, without surrounding spaces (`"1、"`, `"第3部分"`).
    pub text: &'a str,
    /// What follows the label, trimmed.
    pub rest: &'a str,
}

/// The label styles in the order they are tried.
const STYLES: [Style; 7] = [
    Style::Part,
    Style::Chinese,
    Style::ParenChinese,
    Style::ArabicDot,
    Style::ArabicComma,
    Style::ParenArabic,
    Style::Circled,
];

fn is_chinese_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '零'
            | '〇'
            | '两'
    )
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The byte length of the leading characters of `s` that satisfy `f`.
fn run(s: &str, f: impl Fn(char) -> bool) -> usize {
    s.find(|c: char| !f(c)).unwrap_or(s.len())
}

/// `s` after its leading whitespace (`\s*`).
fn skip_space(s: &str) -> &str {
    s.trim_start_matches(char::is_whitespace)
}

/// `s` after one leading character of `set`.
fn one_of<'a>(s: &'a str, set: &[char]) -> Option<&'a str> {
    s.strip_prefix(|c: char| set.contains(&c))
}

/// One or two digits and nothing more (`[0-9０-９]{1,2}` before a non-digit).
fn two_digits(s: &str) -> Option<(&str, &str)> {
    let n = run(s, is_digit);
    (n > 0 && s[..n].chars().count() <= 2).then(|| s.split_at(n))
}

/// A label of `style` at the start of `line`: the label's byte length and its number, as the
/// patterns `第\s*(N|D+)\s*部分`, `N\s*[、．]`, `[（(]\s*N\s*[）)]`, `D{1,2}\s*[.．]`,
/// `D{1,2}\s*、`, `[（(]\s*D{1,2}\s*[）)]` and `[①-⑳]` would match it (N a run of Chinese
/// numerals, D a digit, half- or full-width). A scanner rather than seven regexes, since
/// every line of every report is tried.
fn scan(style: Style, line: &str) -> Option<(usize, &str)> {
    let end = |rest: &str| line.len() - rest.len();
    match style {
        Style::Part => {
            let s = skip_space(line.strip_prefix('第')?);
            let mut n = run(s, is_chinese_digit);
            if n == 0 {
                n = run(s, is_digit);
            }
            if n == 0 {
                return None;
            }
            let (num, s) = s.split_at(n);
            Some((end(skip_space(s).strip_prefix("部分")?), num))
        }
        Style::Chinese => {
            let n = run(line, is_chinese_digit);
            if n == 0 {
                return None;
            }
            let (num, s) = line.split_at(n);
            Some((end(one_of(skip_space(s), &['、', '．'])?), num))
        }
        Style::ParenChinese => {
            let s = skip_space(one_of(line, &['（', '('])?);
            let n = run(s, is_chinese_digit);
            if n == 0 {
                return None;
            }
            let (num, s) = s.split_at(n);
            Some((end(one_of(skip_space(s), &['）', ')'])?), num))
        }
        Style::ArabicDot | Style::ArabicComma => {
            let (num, s) = two_digits(line)?;
            let marks: &[char] = if style == Style::ArabicDot {
                &['.', '．']
            } else {
                &['、']
            };
            Some((end(one_of(skip_space(s), marks)?), num))
        }
        Style::ParenArabic => {
            let (num, s) = two_digits(skip_space(one_of(line, &['（', '('])?))?;
            Some((end(one_of(skip_space(s), &['）', ')'])?), num))
        }
        Style::Circled => {
            let c = line.chars().next().filter(|c| ('①'..='⑳').contains(c))?;
            Some((c.len_utf8(), &line[..c.len_utf8()]))
        }
    }
}

/// Splits a leading numbering label off a line.
///
/// ```
/// use juesuan::numbering::{split_label, Style};
/// let l = split_label("第3部分 名词解释").unwrap();
/// assert_eq!((l.style, l.ordinal, l.text, l.rest), (Style::Part, 3, "第3部分", "名词解释"));
/// assert!(split_label("1.5万元用于…").is_none());
/// assert!(split_label("一般公共服务（类）支出642.25万元").is_none());
/// ```
pub fn split_label(line: &str) -> Option<Label<'_>> {
    let line = line.trim_start();
    for style in STYLES {
        let Some((len, num)) = scan(style, line) else {
            continue;
        };
        let (label, rest) = line.split_at(len);
        // `1.5万元` is a decimal, `4．2025年…` (full-width dot) and `1. 2025年…` are labels.
        if style == Style::ArabicDot
            && label.ends_with('.')
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let ordinal = if style == Style::Circled {
            num.chars().next().map(|c| c as u32 - '①' as u32 + 1)
        } else {
            parse_number(num)
        };
        let Some(ordinal) = ordinal else { continue };
        return Some(Label {
            style,
            ordinal,
            text: label.trim(),
            rest: rest.trim(),
        });
    }
    None
}

/// Reads `12`, `１２`, `十二`, `二十`, `一百零一`.
pub fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let mut n: u32 = 0;
        for c in s.chars() {
            let d = if c.is_ascii_digit() {
                c as u32 - '0' as u32
            } else {
                c as u32 - '０' as u32
            };
            n = n.checked_mul(10)?.checked_add(d)?;
        }
        return (!s.is_empty()).then_some(n);
    }
    parse_chinese_number(s)
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn parse_chinese_number(s: &str) -> Option<u32> {
    let mut total = 0;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        match c {
            '十' => {
                total += digit.unwrap_or(1) * 10;
                digit = None;
            }
            '百' => {
                total += digit.unwrap_or(1) * 100;
                digit = None;
            }
            _ => digit = Some(chinese_digit(c)?),
        }
    }
    let n = total + digit.unwrap_or(0);
    (n > 0 || s.contains(['零', '〇'])).then_some(n)
}

/// An amount in running text (`0.4万元`, `853.00 万元`): headings never state one.
static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9０-９][0-9０-９,，.．]*\s*(万元|元|亿|千元)").unwrap());

/// Whether the text after a label reads like a heading title rather than a sentence:
/// short, no clause punctuation inside, no amount, no percentage. A single full stop at the
/// end is allowed, since reports write `（一）主要职能。`.
///
/// ```
/// use juesuan::numbering::looks_like_title;
/// assert!(looks_like_title("2021年重点工作完成情况。"));
/// assert!(!looks_like_title("贯彻执行党和国家的各项法律、法规、规章以及上级政府的决议、决定，依法管理基层公共事务。"));
/// assert!(!looks_like_title("财政拨款收入：指单位从同级财政部门取得的财政预算资金。"));
/// ```
pub fn looks_like_title(rest: &str) -> bool {
    let t = title_text(rest);
    !t.is_empty()
        && t.chars().count() <= 40
        && !t.contains([
            '，', ',', '；', ';', '：', ':', '。', '！', '!', '？', '?', '%', '％',
        ])
        && !AMOUNT.is_match(t)
}

/// The title as a section record states it: trimmed, without the trailing full stop or colon
/// that some reports put after a heading (`（一）主要职能。` → `主要职能`).
pub fn title_text(rest: &str) -> &str {
    rest.trim()
        .trim_end_matches(['。', '.', '：', ':', '．'])
        .trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seven label regexes the scanner replaced, tried in order: the scanner must give
    /// what they gave.
    fn label_regexes() -> Vec<(Style, Regex)> {
        let n = "[一二三四五六七八九十百零〇两]+";
        [
            (Style::Part, format!(r"^(第\s*({n}|[0-9０-９]+)\s*部分)")),
            (Style::Chinese, format!(r"^(({n})\s*[、．])")),
            (Style::ParenChinese, format!(r"^([（(]\s*({n})\s*[）)])")),
            (
                Style::ArabicDot,
                r"^(([0-9０-９]{1,2})\s*[.．])".to_string(),
            ),
            (Style::ArabicComma, r"^(([0-9０-９]{1,2})\s*、)".to_string()),
            (
                Style::ParenArabic,
                r"^([（(]\s*([0-9０-９]{1,2})\s*[）)])".to_string(),
            ),
            (Style::Circled, r"^(([①-⑳]))".to_string()),
        ]
        .into_iter()
        .map(|(style, re)| (style, Regex::new(&re).unwrap()))
        .collect()
    }

    fn split_label_by_regex<'a>(labels: &[(Style, Regex)], line: &'a str) -> Option<Label<'a>> {
        let line = line.trim_start();
        for (style, re) in labels {
            let style = *style;
            let Some(caps) = re.captures(line) else {
                continue;
            };
            let label = caps.get(1).unwrap();
            let rest = &line[label.end()..];
            if style == Style::ArabicDot
                && label.as_str().ends_with('.')
                && rest.starts_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            let num = caps.get(2).unwrap().as_str();
            let ordinal = if style == Style::Circled {
                num.chars().next().map(|c| c as u32 - '①' as u32 + 1)
            } else {
                parse_number(num)
            };
            let Some(ordinal) = ordinal else { continue };
            return Some(Label {
                style,
                ordinal,
                text: label.as_str().trim(),
                rest: rest.trim(),
            });
        }
        None
    }

    /// The scanner against the regexes on every line of the samples and the corpus (when
    /// present) and on every combination of label parts, spaces and what follows.
    #[test]
    fn the_scanner_reads_labels_as_the_regexes_did() {
        let mut lines: Vec<String> = Vec::new();
        for text in crate::test_texts::sample_and_corpus_texts() {
            lines.extend(text.lines().map(str::to_string));
        }
        let starts = ["", " ", "　", "第", "第 ", "（", "(", "（ ", "①", "⑳", "⑴"];
        let numbers = [
            "一",
            "十二",
            "一百零一",
            "十十",
            "1",
            "12",
            "123",
            "１２",
            "0",
            "4294967296",
            "",
        ];
        let spaces = ["", " ", "　", "\t"];
        let ends = ["部分", "、", "．", ".", "）", ")", "", "部"];
        let rests = ["", "收入", "5万元", " 2025年", "。"];
        for a in starts {
            for n in numbers {
                for sp in spaces {
                    for e in ends {
                        for r in rests {
                            lines.push(format!("{a}{n}{sp}{e}{r}"));
                        }
                    }
                }
            }
        }
        let labels = label_regexes();
        for line in &lines {
            assert_eq!(
                split_label(line),
                split_label_by_regex(&labels, line),
                "{line:?}"
            );
        }
        assert!(lines.len() > 20_000, "{} lines", lines.len());
    }

    #[track_caller]
    fn check(line: &str, style: Style, ordinal: u32, label: &str, rest: &str) {
        let l = split_label(line).unwrap_or_else(|| panic!("no label in {line}"));
        assert_eq!(
            (l.style, l.ordinal, l.text, l.rest),
            (style, ordinal, label, rest),
            "{line}"
        );
    }

    #[test]
    fn every_label_style_of_the_template() {
        check("第一部分部门概况", Style::Part, 1, "第一部分", "部门概况");
        check(
            "第二部分 2021年度部门决算情况说明",
            Style::Part,
            2,
            "第二部分",
            "2021年度部门决算情况说明",
        );
        check("第3部分 名词解释", Style::Part, 3, "第3部分", "名词解释");
        check(
            "十一、其他重要事项说明",
            Style::Chinese,
            11,
            "十一、",
            "其他重要事项说明",
        );
        check(
            "四、财政拨款收入支出决算总体情况说明",
            Style::Chinese,
            4,
            "四、",
            "财政拨款收入支出决算总体情况说明",
        );
        check(
            "（一）主要职能。",
            Style::ParenChinese,
            1,
            "（一）",
            "主要职能。",
        );
        check(
            "(二)政府采购支出情况",
            Style::ParenChinese,
            2,
            "(二)",
            "政府采购支出情况",
        );
        check("1.贯彻执行", Style::ArabicDot, 1, "1.", "贯彻执行");
        check(
            "4．2025年部门财政拨款收支预算总表",
            Style::ArabicDot,
            4,
            "4．",
            "2025年部门财政拨款收支预算总表",
        );
        check(
            "1、 收入支出决算总体情况说明",
            Style::ArabicComma,
            1,
            "1、",
            "收入支出决算总体情况说明",
        );
        check(
            "10、 其他重要事项的情况说明",
            Style::ArabicComma,
            10,
            "10、",
            "其他重要事项的情况说明",
        );
        check(
            "（2） 部门财政资金支出情况。",
            Style::ParenArabic,
            2,
            "（2）",
            "部门财政资金支出情况。",
        );
        check("③ 其他", Style::Circled, 3, "③", "其他");
        check("２．全角数字", Style::ArabicDot, 2, "２．", "全角数字");
    }

    #[test]
    fn not_labels() {
        for line in [
            "一般公共服务（类）支出642.25万元",
            "一是丰富党史学习形式",
            "2021年本年收入合计853.00万元",
            "（图1：收、支决算总计变动情况图）",
            "0.4万元",
            "十分重要",
        ] {
            assert!(split_label(line).is_none(), "{line}");
        }
    }

    #[test]
    fn chinese_numbers() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十三", 23),
            ("一百零一", 101),
        ] {
            assert_eq!(parse_number(s), Some(n), "{s}");
        }
    }

    #[test]
    fn titles_and_sentences() {
        assert!(looks_like_title("收入支出决算总体情况说明"));
        assert!(looks_like_title("“三公”经费财政拨款支出决算情况说明"));
        assert!(!looks_like_title(
            "因公出国（境）经费支出0万元，完成预算0%。"
        ));
        assert!(!looks_like_title("一般公共服务（201）政府办公厅（室）及相关机构事务（03）行政运行（01）:2021年支出决算数为118.97万元"));
        assert_eq!(title_text("主要职能。"), "主要职能");
    }
}
