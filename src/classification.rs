//! The national classification of expenditure by function (政府收支分类科目, 支出功能分类),
//! kept as data in `data/classification.tsv` with current and former names and the year each
//! current name applies from. Reports name the same 类 by old and new names
//! (`医疗卫生与计划生育支出` and `卫生健康支出` are both 210), with or without the `支出`
//! suffix and with half- or full-width brackets; lookups forgive all of that, and nothing
//! else: a name that is not here resolves to nothing, never to a guess.

use std::collections::HashMap;
use std::sync::LazyLock;

/// One classification entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `"201"` (类), `"20103"` (款) or `"2010301"` (项).
    pub code: &'static str,
    pub name: &'static str,
    pub former: Vec<&'static str>,
    /// The year of the classification the current name comes from.
    pub since: u16,
    /// A 款 with the standard administrative items (行政运行 01, 一般行政管理事务 02,
    /// 机关服务 03, 事业运行 50).
    pub admin: bool,
}

struct Table {
    entries: Vec<Entry>,
    by_code: HashMap<&'static str, usize>,
    /// (parent code or "" for classes, name key) → entry index.
    by_name: HashMap<(String, String), usize>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut entries = Vec::new();
    for line in include_str!("../data/classification.tsv").lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&'static str> = line.split('\t').collect();
        let field = |i: usize| cols.get(i).copied().unwrap_or("").trim();
        entries.push(Entry {
            code: field(0),
            name: field(1),
            former: field(2).split('|').filter(|s| !s.is_empty()).collect(),
            since: field(3).parse().unwrap_or(0),
            admin: field(4) == "admin",
        });
    }
    let mut by_code = HashMap::new();
    let mut by_name = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_code.insert(e.code, i);
        let parent = parent_code(e.code).unwrap_or("").to_string();
        for n in std::iter::once(&e.name).chain(&e.former) {
            by_name.insert((parent.clone(), name_key(n)), i);
        }
    }
    Table {
        entries,
        by_code,
        by_name,
    }
});

/// The standard items of an administrative 款 that carry the same code in every one of them.
/// `事业运行` is not among them: it is 50 in most 款 but 04 in 农业农村 (2130104), so its code
/// comes only from the text, the report's tables or a listed entry.
const ADMIN_ITEMS: [(&str, &str); 3] = [
    ("01", "行政运行"),
    ("02", "一般行政管理事务"),
    ("03", "机关服务"),
];

/// The code one level up: `2010301` → `20103`, `20103` → `201`.
pub fn parent_code(code: &str) -> Option<&str> {
    match code.len() {
        7 => Some(&code[..5]),
        5 => Some(&code[..3]),
        _ => None,
    }
}

/// The comparison form of a name: full-width brackets, no spaces or quotes, no trailing `支出`,
/// `其它` read as `其他` (`其它行政事业单位养老支出`, a common variant in reports).
pub fn name_key(name: &str) -> String {
    // Every name a line item resolves is keyed: one pass, and a copy for `其它` only.
    let replaced;
    let name = if holds!(name, "其它") {
        replaced = name.replace("其它", "其他");
        replaced.as_str()
    } else {
        name
    };
    let mut s = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '“' | '”' | '"' | '‘' | '’' | '\'' => {}
            c if c.is_whitespace() => {}
            '(' => s.push('（'),
            ')' => s.push('）'),
            c => s.push(c),
        }
    }
    if let Some(n) = s.strip_suffix("支出").map(str::len) {
        s.truncate(n);
    }
    s
}

/// The entry of a code.
pub fn by_code(code: &str) -> Option<&'static Entry> {
    TABLE.by_code.get(code).map(|&i| &TABLE.entries[i])
}

/// The 类 a name stands for (`一般公共服务`, `医疗卫生与计划生育支出` → 210).
pub fn class_by_name(name: &str) -> Option<&'static Entry> {
    TABLE
        .by_name
        .get(&(String::new(), name_key(name)))
        .map(|&i| &TABLE.entries[i])
}

/// The code of a 类 (`parent` empty) or of a 款 under its 类 by name: the report's own
/// first (`own`, keyed by parent code and [`name_key`]), else the classification's; the key
/// is made once for both.
pub fn code_by_name(
    parent: &str,
    name: &str,
    own: &HashMap<(String, String), String>,
) -> Option<String> {
    let key = (parent.to_string(), name_key(name));
    if let Some(code) = own.get(&key) {
        return Some(code.clone());
    }
    TABLE
        .by_name
        .get(&key)
        .map(|&i| TABLE.entries[i].code.to_string())
}

/// The 款 a name stands for within a 类.
pub fn kind_by_name(class: &str, name: &str) -> Option<&'static Entry> {
    TABLE
        .by_name
        .get(&(class.to_string(), name_key(name)))
        .map(|&i| &TABLE.entries[i])
}

/// The code of an item (项) name within a 款: listed items, then the standard items of an
/// administrative 款, then `其他<the 款's name>` as 99, the code every 款 gives its residual
/// item. Any other name is `None`: `其他公共安全支出` under 司法 is not 2040699.
pub fn item_code(kind: &str, name: &str) -> Option<String> {
    if let Some(&i) = TABLE.by_name.get(&(kind.to_string(), name_key(name))) {
        return Some(TABLE.entries[i].code.to_string());
    }
    let key = name_key(name);
    let entry = by_code(kind)?;
    if entry.admin {
        if let Some((suffix, _)) = ADMIN_ITEMS.iter().find(|(_, n)| name_key(n) == key) {
            return Some(format!("{kind}{suffix}"));
        }
    }
    let residual = std::iter::once(entry.name)
        .chain(entry.former.iter().copied())
        .any(|n| key == format!("其他{}", name_key(n)));
    residual.then(|| format!("{kind}99"))
}

/// The 款 of a 类, with their former names.
pub fn kinds_of(class: &str) -> impl Iterator<Item = &'static Entry> + '_ {
    TABLE
        .entries
        .iter()
        .filter(move |e| e.code.len() == 5 && e.code.starts_with(class))
}

/// Every 类 entry, for building matchers over class names.
pub fn classes() -> impl Iterator<Item = &'static Entry> {
    TABLE.entries.iter().filter(|e| e.code.len() == 3)
}

/// Whether a code belongs to the function classification (类 201–234), as opposed to the
/// economic classification (301 工资福利支出…) that some tables share the layout with.
pub fn is_function_code(code: &str) -> bool {
    code.len() >= 3 && by_code(&code[..3]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_by_current_and_former_names() {
        for (name, code) in [
            ("一般公共服务", "201"),
            ("一般公共服务支出", "201"),
            ("卫生健康支出", "210"),
            ("医疗卫生与计划生育支出", "210"),
            ("医疗卫生与计划生育", "210"),
            ("文化旅游体育与传媒支出", "207"),
            ("文化体育与传媒支出", "207"),
            ("自然资源海洋气象等支出", "220"),
            ("国土海洋气象等支出", "220"),
            ("住房保障支出", "221"),
        ] {
            assert_eq!(class_by_name(name).map(|e| e.code), Some(code), "{name}");
        }
        assert!(class_by_name("行政运行").is_none());
        assert!(class_by_name("不存在的类").is_none());
    }

    /// A report's own code for a name wins over the classification's, keyed the same way
    /// (`其它`, brackets, spaces and a trailing `支出` folded); else the classification's.
    #[test]
    fn a_reports_own_code_comes_first() {
        let mut own = HashMap::new();
        own.insert(
            ("208".to_string(), name_key("其他社会保障和就业支出")),
            "20899".to_string(),
        );
        assert_eq!(
            code_by_name("208", "其它社会保障和就业", &own).as_deref(),
            Some("20899")
        );
        assert_eq!(
            code_by_name("", "社会保障和就业支出", &own).as_deref(),
            Some("208")
        );
        assert_eq!(
            code_by_name("201", "政府办公厅 (室) 及相关机构事务", &HashMap::new()).as_deref(),
            Some("20103")
        );
        assert_eq!(code_by_name("", "行政运行", &own), None);
        assert_eq!(name_key("“其它 支出(项)”支出"), "其他支出（项）");
    }

    #[test]
    fn kinds_and_items() {
        assert_eq!(
            kind_by_name("208", "行政事业单位离退休").map(|e| e.code),
            Some("20805")
        );
        assert_eq!(
            kind_by_name("208", "行政事业单位养老支出").map(|e| e.code),
            Some("20805")
        );
        assert_eq!(
            kind_by_name("201", "政府办公厅(室)及相关机构事务").map(|e| e.code),
            Some("20103")
        );
        assert_eq!(
            kind_by_name("210", "医疗卫生与计划生育管理事务").map(|e| e.code),
            Some("21001")
        );
        assert_eq!(item_code("20106", "行政运行").as_deref(), Some("2010601"));
        assert_eq!(item_code("20103", "事业运行").as_deref(), Some("2010350"));
        // 事业运行 is 04 under 农业农村, not the 50 of most 款: no code is guessed.
        assert_eq!(item_code("21301", "事业运行"), None);
        // The residual item is 99 only when named after its own 款.
        assert_eq!(
            item_code("20406", "其他司法支出").as_deref(),
            Some("2040699")
        );
        assert_eq!(item_code("20406", "其他公共安全支出"), None);
        // Common items of 街道 and 乡镇 reports, by current and former names.
        assert_eq!(item_code("21201", "城管执法").as_deref(), Some("2120104"));
        assert_eq!(
            item_code("20802", "基层政权和社区建设").as_deref(),
            Some("2080208")
        );
        assert_eq!(
            item_code("21307", "对村级一事一议的补助").as_deref(),
            Some("2130701")
        );
        assert_eq!(
            item_code("20805", "机关事业单位基本养老保险缴费支出").as_deref(),
            Some("2080505")
        );
        assert_eq!(
            item_code("20103", "其他政府办公厅（室）及相关机构事务支出").as_deref(),
            Some("2010399")
        );
        // 20805 has no standard items: 行政运行 there is unknown, not guessed.
        assert_eq!(item_code("20805", "行政运行"), None);
        assert_eq!(item_code("29999", "行政运行"), None);
        assert_eq!(by_code("210").unwrap().since, 2018);
        assert!(is_function_code("2010601") && !is_function_code("30101"));
    }
}
