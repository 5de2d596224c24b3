//! Amounts, units and percentages, exact: every amount becomes a [`Decimal`] number of yuan,
//! never a float. `118.97万元`, `1,511.89 万元`, `3,286,618,082.20元`, `0.4万元`, `2200余元`,
//! `11.5亿`, `0`, `0.00`, and full-width digits (`１２．５万元`).

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

/// A money unit as reports write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Yuan,
    Thousand,
    TenThousand,
    HundredMillion,
}

impl Unit {
    /// `元`, `千元`, `万元`, `亿元` / `亿`.
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s.trim() {
            "元" => Unit::Yuan,
            "千元" => Unit::Thousand,
            "万元" | "万" => Unit::TenThousand,
            "亿元" | "亿" => Unit::HundredMillion,
            _ => return None,
        })
    }

    fn factor(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::ONE,
            Unit::Thousand => Decimal::from(1_000),
            Unit::TenThousand => Decimal::from(10_000),
            Unit::HundredMillion => Decimal::from(100_000_000),
        }
    }
}

/// An amount read from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub yuan: Decimal,
    /// The source hedges it: `余`, `约`, `近`, `多`, `逾`.
    pub approx: bool,
}

/// Folds full-width digits and separators to ASCII and drops thousands separators.
fn ascii_number(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            ',' | '，' | ' ' => None,
            '－' | '−' => Some('-'),
            c => Some(c),
        })
        .collect()
}

/// Parses a bare number (`1,511.89`, `０．４`, `-3.00`).
pub fn parse_number(s: &str) -> Option<Decimal> {
    let t = ascii_number(s.trim());
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    t.parse::<Decimal>().ok()
}

/// A number in a given unit, in yuan: a table cell `1,511.90` under `单位：万元`.
pub fn to_yuan(number: &str, unit: Unit) -> Option<Decimal> {
    parse_number(number)
        .and_then(|d| d.checked_mul(unit.factor()))
        .map(|d| d.normalize())
}

/// The one grammar of an amount with its unit, as a pattern other patterns embed (without
/// capture groups): `118.97万元`, `1,511.89 万元`, `约3.4亿`, `2200余元`, `１２．５万元`. The
/// figure lexicon (`{V}`), the checks and [`MONEY`] all use it.
pub const AMOUNT_PATTERN: &str = r"(?:约|近|逾)?[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?\s*(?:余|多)?\s*(?:亿元|亿|万元|千元|元)(?:余|多)?";

/// An amount with its unit anywhere in a string: `约`/`近`/`逾` before, `余`/`多` after the
/// number or the unit. The same grammar as [`AMOUNT_PATTERN`], with its parts captured.
pub static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<pre>约|近|逾)?(?P<num>[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?)\s*(?P<mid>余|多)?\s*(?P<unit>亿元|亿|万元|千元|元)(?P<post>余|多)?",
    )
    .unwrap()
});

/// Parses a whole money string: `118.97万元` → 1189700 yuan; a bare number is yuan
/// (`0`, `0.00`). Returns `None` for text that is not exactly one amount (`XX万元`).
///
/// ```
/// use juesuan::money::{parse_money, yuan_string};
/// let a = parse_money("2200余元").unwrap();
/// assert_eq!((yuan_string(a.yuan), a.approx), ("2200".to_string(), true));
/// assert_eq!(yuan_string(parse_money("1,511.89 万元").unwrap().yuan), "15118900");
/// assert!(parse_money("XX万元").is_none());
/// ```
pub fn parse_money(s: &str) -> Option<Amount> {
    let t = s.trim();
    if let Some(c) = MONEY.captures(t) {
        if c.get(0).unwrap().as_str().len() == t.len() {
            return amount_of(&c);
        }
        return None;
    }
    parse_number(t).map(|d| Amount {
        yuan: d.normalize(),
        approx: false,
    })
}

/// The amount of a [`MONEY`] match.
pub fn amount_of(c: &regex::Captures) -> Option<Amount> {
    let unit = Unit::parse(&c["unit"])?;
    Some(Amount {
        yuan: to_yuan(&c["num"], unit)?,
        approx: c.name("pre").is_some() || c.name("mid").is_some() || c.name("post").is_some(),
    })
}

/// A percentage as the figure and change grammars embed it, whitespace already removed.
pub const PERCENT_PATTERN: &str = r"-?[0-9０-９]+(?:[.．][0-9０-９]+)?[%％]";

/// A percentage: `98.86%`, `占100.00%` → 98.86, 100.
pub static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<num>-?[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*[%％]").unwrap());

/// Parses the first percentage in a string.
pub fn parse_percent(s: &str) -> Option<Decimal> {
    PERCENT
        .captures(s)
        .and_then(|c| parse_number(&c["num"]))
        .map(|d| d.normalize())
}

/// The normalized decimal string of SCHEMA.md: no exponent, no trailing zeros, no `+`.
pub fn yuan_string(d: Decimal) -> String {
    let s = d.normalize().to_string();
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`AMOUNT_PATTERN`] and [`MONEY`] are one grammar: they match the same text.
    #[test]
    fn one_money_grammar() {
        let pattern = Regex::new(&format!("^{AMOUNT_PATTERN}$")).unwrap();
        for s in [
            "118.97万元",
            "1,511.89 万元",
            "约3.4亿",
            "2200余元",
            "１２．５万元",
            "10余万元",
            "3万元多",
        ] {
            let m = MONEY.find(s).map(|m| m.as_str());
            assert_eq!(m, Some(s), "{s}");
            assert!(pattern.is_match(s), "{s}");
        }
        for s in ["12.5", "万元", "XX万元"] {
            assert!(
                !pattern.is_match(s) && MONEY.find(s).is_none_or(|m| m.as_str() != s),
                "{s}"
            );
        }
    }

    #[track_caller]
    fn check(input: &str, yuan: &str, approx: bool) {
        let a = parse_money(input).unwrap_or_else(|| panic!("no amount in {input}"));
        assert_eq!(
            (yuan_string(a.yuan).as_str(), a.approx),
            (yuan, approx),
            "{input}"
        );
    }

    #[test]
    fn amounts_as_reports_write_them() {
        for (input, yuan, approx) in [
            ("118.97万元", "1189700", false),
            ("1,511.89 万元", "15118900", false),
            ("3,286,618,082.20元", "3286618082.2", false),
            ("0.4万元", "4000", false),
            ("2200余元", "2200", true),
            ("11.5亿", "1150000000", false),
            ("11.5亿元", "1150000000", false),
            ("0", "0", false),
            ("0.00", "0", false),
            ("0万元", "0", false),
            ("853.00万元", "8530000", false),
            ("１２．５万元", "125000", false),
            ("约5万元", "50000", true),
            ("近3000元", "3000", true),
            ("100多万元", "1000000", true),
            ("3千元", "3000", false),
            ("15.6万元", "156000", false),
            ("91,016,775.35", "91016775.35", false),
        ] {
            check(input, yuan, approx);
        }
        assert!(parse_money("XX万元").is_none());
        assert!(parse_money("万元").is_none());
        assert!(
            parse_money("共计5万元整").is_none(),
            "not exactly one amount"
        );
    }

    #[test]
    fn table_cells_in_the_table_unit() {
        assert_eq!(
            yuan_string(to_yuan("1,511.90", Unit::TenThousand).unwrap()),
            "15119000"
        );
        assert_eq!(
            yuan_string(to_yuan("82,096,797.42", Unit::Yuan).unwrap()),
            "82096797.42"
        );
        assert!(to_yuan("XX", Unit::Yuan).is_none());
        assert!(to_yuan("", Unit::Yuan).is_none());
    }

    #[test]
    fn percentages() {
        assert_eq!(
            parse_percent("占98.86%").map(yuan_string).as_deref(),
            Some("98.86")
        );
        assert_eq!(
            parse_percent("占100.00%").map(yuan_string).as_deref(),
            Some("100")
        );
        assert_eq!(
            parse_percent("下降5.97％").map(yuan_string).as_deref(),
            Some("5.97")
        );
        assert_eq!(parse_percent("0%").map(yuan_string).as_deref(), Some("0"));
        assert!(parse_percent("XX%").is_none());
    }
}
