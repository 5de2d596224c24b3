//! Paragraph styles: what Word says about a style's outline level and numbering, through the
//! `basedOn` chain, and heading styles recognised by name in any language (`heading 1`,
//! `标题 1`) for files whose styles carry no outline level.

use std::collections::HashMap;
use std::sync::LazyLock;

use quick_xml::events::Event;
use quick_xml::Reader;
use regex::Regex;

use super::{val, Guard, Limits, PartError};

#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

/// The styles of a package.
#[derive(Debug, Clone, Default)]
pub(crate) struct Styles {
    by_id: HashMap<String, Style>,
    default_paragraph: Option<String>,
    /// Each style's outline level and numbering, resolved through its `basedOn` chain once
    /// when the part is read, not for every paragraph.
    resolved: HashMap<String, Resolved>,
}

/// A style's outline level and its numbering `(numId, ilvl)`.
type Resolved = (Option<u8>, Option<(String, u8)>);

/// `heading 1`, `Heading 2`, `标题 1`, `标题1`, `Überschrift 1`, `Titre 1`.
static HEADING_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:heading|标题|標題|überschrift|titre|título|titolo|заголовок|見出し)\s*([1-9])$",
    )
    .unwrap()
});

impl Styles {
    pub fn parse(xml: &str, limits: Limits) -> Result<Styles, PartError> {
        let mut styles = Styles::default();
        let mut reader = Reader::from_str(xml);
        let mut guard = Guard::new(limits, "styles.xml");
        let mut current: Option<(String, Style)> = None;
        let mut in_ppr = false;
        loop {
            guard.event()?;
            let event = reader.read_event().map_err(|e| {
                PartError::Corrupt(format!("styles.xml is not well-formed XML: {e}"))
            })?;
            // Parts that say nothing about paragraph outline or numbering, most of a large
            // styles.xml (Word writes ~370 latent styles and the run and table formatting of
            // every style), are skipped to their end tag rather than read element by element.
            if let Event::Start(e) = &event {
                let skip = match e.local_name().as_ref() {
                    b"latentStyles" | b"docDefaults" | b"rPr" | b"tblPr" | b"tblStylePr"
                    | b"tcPr" | b"trPr" => true,
                    b"style" => super::attributes(e)
                        .get("type")
                        .is_some_and(|t| t != "paragraph"),
                    _ => false,
                };
                if skip {
                    reader.read_to_end(e.name()).map_err(|e| {
                        PartError::Corrupt(format!("styles.xml is not well-formed XML: {e}"))
                    })?;
                    continue;
                }
            }
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.local_name();
                    match name.as_ref() {
                        b"style" => {
                            let attrs = super::attributes(&e);
                            let paragraph = attrs.get("type").is_none_or(|t| t == "paragraph");
                            if paragraph {
                                let id = attrs.get("styleId").cloned().unwrap_or_default();
                                if attrs
                                    .get("default")
                                    .is_some_and(|d| d == "1" || d == "true")
                                {
                                    styles.default_paragraph = Some(id.clone());
                                }
                                current = Some((id, Style::default()));
                            }
                        }
                        b"pPr" => in_ppr = true,
                        b"name" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.name = val(&e).unwrap_or_default();
                            }
                        }
                        b"basedOn" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.based_on = val(&e);
                            }
                        }
                        b"outlineLvl" if in_ppr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.outline = super::val_parsed(&e).filter(|l: &u8| *l < 9);
                            }
                        }
                        b"numId" if in_ppr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.num_id = val(&e);
                            }
                        }
                        b"ilvl" if in_ppr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.ilvl = super::val_parsed(&e);
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"style" => {
                        if let Some((id, s)) = current.take() {
                            styles.by_id.insert(id, s);
                        }
                    }
                    b"pPr" => in_ppr = false,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        styles.resolved = styles
            .by_id
            .keys()
            .map(|id| {
                (
                    id.clone(),
                    (styles.resolve_outline(id), styles.resolve_numbering(id)),
                )
            })
            .collect();
        Ok(styles)
    }

    /// The style a paragraph without `w:pStyle` has.
    pub fn default_paragraph(&self) -> Option<&str> {
        self.default_paragraph.as_deref()
    }

    /// The chain from a style up its `basedOn` ancestors (cycles cut).
    fn chain<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Style> + 'a {
        let mut seen = Vec::new();
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let id = next?;
            if seen.contains(&id) || seen.len() > 32 {
                return None;
            }
            seen.push(id);
            let s = self.by_id.get(id)?;
            next = s.based_on.as_deref();
            Some(s)
        })
    }

    /// The outline level (0-based) a style gives its paragraphs: its own or an ancestor's
    /// `w:outlineLvl`, else a heading style's number.
    pub fn outline_level(&self, id: &str) -> Option<u8> {
        self.resolved.get(id).and_then(|r| r.0)
    }

    /// The numbering a style gives its paragraphs: `(numId, ilvl)`.
    pub fn numbering(&self, id: &str) -> Option<(String, u8)> {
        self.resolved.get(id).and_then(|r| r.1.clone())
    }

    fn resolve_outline(&self, id: &str) -> Option<u8> {
        self.chain(id).find_map(|s| s.outline).or_else(|| {
            self.chain(id).find_map(|s| {
                HEADING_NAME
                    .captures(s.name.trim())
                    .and_then(|c| c[1].parse::<u8>().ok())
                    .map(|n| n - 1)
            })
        })
    }

    fn resolve_numbering(&self, id: &str) -> Option<(String, u8)> {
        let num = self.chain(id).find_map(|s| s.num_id.clone())?;
        let ilvl = self.chain(id).find_map(|s| s.ilvl).unwrap_or(0);
        Some((num, ilvl))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_levels_through_based_on_and_names() {
        let xml = r#"<w:styles xmlns:w="w">
            <w:docDefaults><w:pPrDefault><w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:pPrDefault></w:docDefaults>
            <w:latentStyles><w:lsdException w:name="heading 1"/></w:latentStyles>
            <w:style w:type="table" w:styleId="Grid"><w:name w:val="heading 3"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="a5"><w:name w:val="标题 2"/></w:style>
            <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="Report Part"/><w:basedOn w:val="1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Lvl"><w:name w:val="Custom"/><w:pPr><w:outlineLvl w:val="2"/><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
            <w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/></w:style>
        </w:styles>"#;
        let s = Styles::parse(xml, Limits::for_tests()).unwrap();
        assert_eq!(s.outline_level("1"), Some(0));
        assert_eq!(s.outline_level("a5"), Some(1));
        assert_eq!(s.outline_level("Mine"), Some(0), "based on a heading style");
        assert_eq!(s.outline_level("Lvl"), Some(2));
        assert_eq!(s.outline_level("Normal"), None);
        assert_eq!(s.numbering("Lvl"), Some(("7".to_string(), 0)));
        assert_eq!(s.default_paragraph(), Some("Normal"));
        // Defaults, latent and table styles are skipped whole: no outline comes from them.
        assert_eq!(s.outline_level("Grid"), None);
    }
}
