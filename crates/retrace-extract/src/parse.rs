//! Parsing a page into a tree within [`Limits`], so that nothing after it can be made to recurse
//! without bound or to spend quadratic time.
//!
//! html5ever parses iteratively, but it spends time in proportion to the depth of its stack of
//! open elements for every tag (scope checks), and compares each attribute of a tag with all the
//! ones before it; `dom_query` and `dom_smoothie` walk the tree recursively (selector matching,
//! serialization, readability's scoring) on a worker thread's small stack. So a page is measured
//! three times, each pass linear and without recursion (issue 13):
//!
//! 1. before parsing, [`prescan`] counts the attributes of each tag the way html5ever's tokenizer
//!    will see them (skipping comments and the contents of `script`, `style`, `title` …);
//! 2. while parsing, a [`Guard`] around the `dom_query` tree counts elements and measures the depth
//!    of each element it inserts, and the page is fed in chunks so that the parse stops within a
//!    chunk of going past a limit;
//! 3. after parsing, [`check_depth`] walks the finished tree (the parser may move subtrees
//!    deeper after inserting them), template contents included.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;

use dom_query::{Document, NodeData, NodeId};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeBuilderOpts, TreeSink};
use html5ever::{Attribute, ParseOpts, QualName};

use crate::{Limit, Limits};

/// A limit the page went past, and the 1-based line where that was noticed (when known).
pub(crate) type Over = (Limit, Option<u64>);

/// Bytes handed to the parser at a time: the parse stops at most this far past a limit.
const CHUNK: usize = 16 * 1024;

/// Parses `html` as `dom_query::Document::from` does, or says which limit the page goes past.
pub(crate) fn parse(html: &str, limits: &Limits) -> Result<Document, Over> {
    prescan(html, limits.max_attributes)?;
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..TreeBuilderOpts::default()
        },
        ..ParseOpts::default()
    };
    let mut parser = html5ever::parse_document(Guard::new(*limits), opts);
    let mut start = 0;
    while start < html.len() {
        let mut end = (start + CHUNK).min(html.len());
        while !html.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&html[start..end]));
        if let Some(over) = parser.tokenizer.sink.sink.over.get() {
            return Err(over);
        }
        start = end;
    }
    let guard = parser.finish();
    if let Some(over) = guard.over.get() {
        return Err(over);
    }
    check_depth(&guard.doc, limits.max_depth).map_err(|limit| (limit, None))?;
    split_long_texts(&guard.doc);
    Ok(guard.doc)
}

/// Text nodes are split into pieces of at most this many bytes (see [`split_long_texts`]).
const TEXT_PIECE: usize = 1024;
/// A text node longer than [`TEXT_PIECE`] with more bytes than this that html5ever's serializer
/// escapes is split: the serializer scans the rest of the text node for `<` and `>` once per `&`
/// and per byte 0xC2 (non-breaking spaces, `«`, `»` …), so one text node of n such characters
/// costs n².
const ESCAPES: usize = 256;

/// Whether html5ever's serializer would take more than [`ESCAPES`] steps per byte of `value`.
fn costly_to_escape(value: &str) -> bool {
    value.len() > TEXT_PIECE && value.bytes().filter(|b| matches!(b, b'&' | 0xc2)).count() > ESCAPES
}

/// Splits every text node whose serialization would take more than [`ESCAPES`] steps per byte
/// into adjacent text nodes of at most [`TEXT_PIECE`] bytes, broken after whitespace where
/// there is some; the text of every element stays the same, and so does its HTML. Attributes
/// with such values cannot be split and are removed (no text is read from them). After it,
/// serializing a page costs at most [`TEXT_PIECE`] steps per byte. Paragraphs of real pages are
/// far below the threshold and are not touched.
fn split_long_texts(doc: &Document) {
    let tree = &doc.tree;
    let mut long = Vec::new();
    let mut attributes = Vec::new();
    for node in doc.root().descendants_it() {
        node.query(|node| match &node.data {
            NodeData::Text { contents } if costly_to_escape(contents) => long.push(node.id),
            NodeData::Element(element) => attributes.extend(
                element
                    .attrs
                    .iter()
                    .filter(|attr| costly_to_escape(&attr.value))
                    .map(|attr| (node.id, attr.name.local.to_string())),
            ),
            _ => {}
        });
    }
    for (id, name) in attributes {
        tree.get_unchecked(&id).remove_attr(&name);
    }
    for id in long {
        let text = tree.get_unchecked(&id).text().to_string();
        let node = tree.get_unchecked(&id);
        let mut start = 0;
        while start < text.len() {
            let mut end = (start + TEXT_PIECE).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            if end < text.len()
                && let Some(space) = text[start..end].rfind(char::is_whitespace)
                && space > 0
            {
                end = start
                    + space
                    + text[start + space..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
            }
            let piece = tree.new_text(&text[start..end]);
            node.insert_before(&piece);
            start = end;
        }
        node.remove_from_parent();
    }
}

/// Elements whose content html5ever's tokenizer reads as text up to their end tag (outside SVG
/// and MathML; `noscript` is parsed as markup, since scripting is off).
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"title",
    b"textarea",
];

/// HTML elements that end SVG or MathML content when they start inside it.
const BREAKOUT: &[&[u8]] = &[
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strong",
    b"strike",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
];

/// Checks, in one pass over the source, that no tag has more than `max` attributes, counting
/// them as html5ever's tokenizer will (it compares each new attribute name with every earlier
/// one of the same tag, so a tag with n attributes costs n² before any tree exists).
pub(crate) fn prescan(html: &str, max: usize) -> Result<(), Over> {
    let bytes = html.as_bytes();
    // How deep inside `<svg>` or `<math>` the scan is: there `<style>` and `<script>` hold markup.
    let mut foreign = 0usize;
    let mut at = 0;
    while let Some(n) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + n;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            at = memchr::memmem::find(&bytes[start + 4..], b"-->")
                .map_or(bytes.len(), |e| start + 4 + e + 3);
            continue;
        }
        if foreign > 0 && rest.starts_with(b"<![CDATA[") {
            at = memchr::memmem::find(&bytes[start..], b"]]>")
                .map_or(bytes.len(), |e| start + e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            at = memchr::memchr(b'>', rest).map_or(bytes.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            at = start + 1;
            continue;
        }
        let tag = scan_tag(bytes, name_start);
        if tag.attributes > max {
            return Err((Limit::Attributes(max), Some(line_of(bytes, start))));
        }
        at = tag.end;
        let name = bytes[name_start..tag.name_end].to_ascii_lowercase();
        let is_foreign_root = name == b"svg" || name == b"math";
        if closing {
            if is_foreign_root {
                foreign = foreign.saturating_sub(1);
            }
            continue;
        }
        if foreign > 0 {
            if BREAKOUT.contains(&name.as_slice()) {
                foreign = 0;
            } else if is_foreign_root && !tag.self_closing {
                foreign += 1;
            }
            continue;
        }
        if is_foreign_root && !tag.self_closing {
            foreign = 1;
        } else if name == b"plaintext" {
            return Ok(());
        } else if RAW_TEXT.contains(&name.as_slice()) {
            at = end_tag(bytes, at, &name).unwrap_or(bytes.len());
        }
    }
    Ok(())
}

/// The 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> u64 {
    let lines = memchr::memchr_iter(b'\n', &bytes[..at]).count();
    u64::try_from(lines).unwrap_or(u64::MAX).saturating_add(1)
}

/// One tag as the tokenizer reads it.
struct ScannedTag {
    name_end: usize,
    /// One past its `>` (or the end of the input).
    end: usize,
    attributes: usize,
    self_closing: bool,
}

/// Reads the tag whose name starts at `name_start`, with the tokenizer's states for attributes:
/// a quote opens a value only after `=`, and a new name starts after whitespace, `/` or a value.
fn scan_tag(bytes: &[u8], name_start: usize) -> ScannedTag {
    #[derive(Clone, Copy)]
    enum State {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Unquoted,
    }
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = name_start;
    while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>') {
        i += 1;
    }
    let name_end = i;
    let mut attributes = 0;
    let mut state = State::BeforeName;
    while i < bytes.len() {
        let b = bytes[i];
        match state {
            State::BeforeName | State::AfterName => {
                if b == b'>' {
                    break;
                }
                if is_space(b) || b == b'/' {
                    i += 1;
                } else if b == b'=' && matches!(state, State::AfterName) {
                    state = State::BeforeValue;
                    i += 1;
                } else {
                    attributes += 1;
                    state = State::Name;
                    i += 1;
                }
                if b == b'/' {
                    state = State::BeforeName;
                }
            }
            State::Name => match b {
                b'>' => break,
                b'=' => {
                    state = State::BeforeValue;
                    i += 1;
                }
                b'/' => {
                    state = State::BeforeName;
                    i += 1;
                }
                _ if is_space(b) => {
                    state = State::AfterName;
                    i += 1;
                }
                _ => i += 1,
            },
            State::BeforeValue => match b {
                b'>' => break,
                b'"' | b'\'' => {
                    i = memchr::memchr(b, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e + 1);
                    state = State::BeforeName;
                }
                _ if is_space(b) => i += 1,
                _ => state = State::Unquoted,
            },
            State::Unquoted => match b {
                b'>' => break,
                _ if is_space(b) => state = State::BeforeName,
                _ => i += 1,
            },
        }
    }
    let self_closing = i < bytes.len() && i > name_start && bytes[i - 1] == b'/';
    ScannedTag {
        name_end,
        end: (i + 1).min(bytes.len()),
        attributes,
        self_closing,
    }
}

/// Where `</name` (followed by whitespace, `/` or `>`) starts at or after `from`.
fn end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(n) = memchr::memmem::find(&bytes[i..], b"</") {
        let start = i + n;
        let name_end = start + 2 + name.len();
        if bytes
            .get(start + 2..name_end)
            .is_some_and(|b| b.eq_ignore_ascii_case(name))
            && bytes
                .get(name_end)
                .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'))
        {
            return Some(start);
        }
        i = start + 2;
    }
    None
}

/// Checks, without recursion, that no element of `doc` (template contents included) sits deeper
/// than `max` elements.
pub(crate) fn check_depth(doc: &Document, max: usize) -> Result<(), Limit> {
    let tree = &doc.tree;
    let mut stack: Vec<(NodeId, usize)> = vec![(tree.root_id(), 0)];
    while let Some((id, depth)) = stack.pop() {
        let (is_element, contents) = tree
            .query_node(&id, |node| match &node.data {
                NodeData::Element(element) => (true, element.template_contents),
                _ => (false, None),
            })
            .unwrap_or((false, None));
        let depth = depth + usize::from(is_element);
        if depth > max {
            return Err(Limit::Depth(max));
        }
        stack.extend(tree.child_ids_of_it(&id, false).map(|child| (child, depth)));
        stack.extend(contents.map(|fragment| (fragment, depth)));
    }
    Ok(())
}

/// The `dom_query` tree builder, counting and measuring what the parser inserts. Once a limit is
/// passed it records which and stops measuring; the caller stops feeding the parser.
pub(crate) struct Guard {
    doc: Document,
    limits: Limits,
    elements: Cell<usize>,
    line: Cell<u64>,
    over: Cell<Option<Over>>,
    /// Template contents (parentless fragments) and the template each belongs to.
    templates: RefCell<HashMap<NodeId, NodeId>>,
}

impl Guard {
    fn new(limits: Limits) -> Guard {
        Guard {
            doc: Document::default(),
            limits,
            elements: Cell::new(0),
            line: Cell::new(1),
            over: Cell::new(None),
            templates: RefCell::new(HashMap::new()),
        }
    }

    fn exceed(&self, limit: Limit) {
        if self.over.get().is_none() {
            self.over.set(Some((limit, Some(self.line.get()))));
        }
    }

    /// Counts the elements on the way from `id` up to the root, through templates, stopping one
    /// past the limit: each insertion costs at most `max_depth` steps.
    fn depth(&self, id: NodeId) -> usize {
        let tree = &self.doc.tree;
        let templates = self.templates.borrow();
        let mut depth = 0;
        let mut at = Some(id);
        while let Some(id) = at
            && depth <= self.limits.max_depth
        {
            let (is_element, parent) = tree
                .query_node(&id, |node| {
                    (matches!(node.data, NodeData::Element(_)), node.parent)
                })
                .unwrap_or((false, None));
            depth += usize::from(is_element);
            at = parent.or_else(|| templates.get(&id).copied());
        }
        depth
    }

    fn inserted(&self, node: Option<NodeId>) {
        if self.over.get().is_some() {
            return;
        }
        if let Some(id) = node
            && self.depth(id) > self.limits.max_depth
        {
            self.exceed(Limit::Depth(self.limits.max_depth));
        }
    }

    fn check_attributes(&self, count: usize) {
        if count > self.limits.max_attributes {
            self.exceed(Limit::Attributes(self.limits.max_attributes));
        }
    }
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("elements", &self.elements.get())
            .field("over", &self.over.get())
            .finish_non_exhaustive()
    }
}

/// Every method is `Document`'s own; the guard only looks at what goes in.
impl TreeSink for Guard {
    type Handle = NodeId;
    type Output = Guard;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Guard {
        self
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        TreeSink::parse_error(&self.doc, msg);
    }

    fn get_document(&self) -> NodeId {
        TreeSink::get_document(&self.doc)
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        TreeSink::elem_name(&self.doc, target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let elements = self.elements.get() + 1;
        self.elements.set(elements);
        if elements > self.limits.max_elements {
            self.exceed(Limit::Elements(self.limits.max_elements));
        }
        self.check_attributes(attrs.len());
        let template = flags.template;
        let id = TreeSink::create_element(&self.doc, name, attrs, flags);
        if template {
            let contents = TreeSink::get_template_contents(&self.doc, &id);
            self.templates.borrow_mut().insert(contents, id);
        }
        id
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        TreeSink::create_comment(&self.doc, text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        TreeSink::create_pi(&self.doc, target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let node = node_of(&child);
        TreeSink::append(&self.doc, parent, child);
        self.inserted(node);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let node = node_of(&child);
        TreeSink::append_based_on_parent_node(&self.doc, element, prev_element, child);
        self.inserted(node);
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        TreeSink::append_doctype_to_document(&self.doc, name, public_id, system_id);
    }

    fn mark_script_already_started(&self, node: &NodeId) {
        TreeSink::mark_script_already_started(&self.doc, node);
    }

    fn pop(&self, node: &NodeId) {
        TreeSink::pop(&self.doc, node);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        TreeSink::get_template_contents(&self.doc, target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        TreeSink::same_node(&self.doc, x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        TreeSink::set_quirks_mode(&self.doc, mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let node = node_of(&new_node);
        TreeSink::append_before_sibling(&self.doc, sibling, new_node);
        self.inserted(node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        TreeSink::add_attrs_if_missing(&self.doc, target, attrs);
        let count = self
            .doc
            .tree
            .query_node(target, |node| match &node.data {
                NodeData::Element(element) => element.attrs.len(),
                _ => 0,
            })
            .unwrap_or(0);
        self.check_attributes(count);
    }

    fn associate_with_form(
        &self,
        target: &NodeId,
        form: &NodeId,
        nodes: (&NodeId, Option<&NodeId>),
    ) {
        TreeSink::associate_with_form(&self.doc, target, form, nodes);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        TreeSink::remove_from_parent(&self.doc, target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        TreeSink::reparent_children(&self.doc, node, new_parent);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        TreeSink::is_mathml_annotation_xml_integration_point(&self.doc, handle)
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
        TreeSink::set_current_line(&self.doc, line_number);
    }

    fn allow_declarative_shadow_roots(&self, intended_parent: &NodeId) -> bool {
        TreeSink::allow_declarative_shadow_roots(&self.doc, intended_parent)
    }

    fn attach_declarative_shadow(
        &self,
        location: &NodeId,
        template: &NodeId,
        attrs: &[Attribute],
    ) -> bool {
        TreeSink::attach_declarative_shadow(&self.doc, location, template, attrs)
    }

    fn maybe_clone_an_option_into_selectedcontent(&self, option: &NodeId) {
        TreeSink::maybe_clone_an_option_into_selectedcontent(&self.doc, option);
    }
}

/// The node an insertion adds (text needs no measuring: it is never deeper than its element).
fn node_of(child: &NodeOrText<NodeId>) -> Option<NodeId> {
    match child {
        NodeOrText::AppendNode(id) => Some(*id),
        NodeOrText::AppendText(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ExtractorBuilder;

    fn limits() -> Limits {
        ExtractorBuilder::new().limits
    }

    fn attributes_of(tag: &str) -> usize {
        let bytes = tag.as_bytes();
        scan_tag(bytes, 1).attributes
    }

    #[test]
    fn attributes_are_counted_as_the_tokenizer_reads_them() {
        assert_eq!(attributes_of("<p>"), 0);
        assert_eq!(attributes_of("<p a b=1 c='2 x' d=\"3 y\"e/>"), 5);
        assert_eq!(attributes_of("<p a = 1 / b>"), 2);
        // A quote opens a value only after `=`.
        assert_eq!(attributes_of("<p a\"b c>"), 2);
    }

    #[test]
    fn the_prescan_skips_comments_and_raw_text_but_not_foreign_content() {
        let many = |n: usize| (0..n).map(|i| format!(" a{i}")).collect::<String>();
        let hidden = format!(
            "<!-- <p{0}> --><script>x <b{0}></script><title><i{0}></title><p>ok</p>",
            many(10)
        );
        assert_eq!(prescan(&hidden, 5), Ok(()));
        let shown = format!("<svg><style><p{}></style></svg>", many(10));
        assert_eq!(prescan(&shown, 5), Err((Limit::Attributes(5), Some(1))));
        // A breakout element leaves SVG: scripts after it are code again.
        let after = format!("<svg><p>text</p><script>x <b{}></script>", many(10));
        assert_eq!(prescan(&after, 5), Ok(()));
    }

    #[test]
    fn long_texts_full_of_ampersands_are_split_without_changing_the_text() {
        let text = "salt &amp; pepper ".repeat(2_000);
        let html = format!(
            "<body><p title=\"{}\">{text}</p><p>Short &amp; sweet</p>",
            "&amp;".repeat(2_000)
        );
        let parsed = parse(&html, &limits()).expect("within the limits");
        let plain = Document::from(html.as_str());
        let p = parsed.select("p");
        let plain_p = plain.select("p");
        assert_eq!(p.text(), plain_p.text());
        for node in parsed.root().descendants_it() {
            if node.is_text() {
                assert!(!costly_to_escape(&node.text()), "{}", node.text().len());
            }
        }
        // The same HTML, but for the costly attribute.
        let title = format!(" title=\"{}\"", "&amp;".repeat(2_000));
        let expected = plain.select("body").html().replace(&title, "");
        assert_eq!(parsed.select("body").html().to_string(), expected);
    }

    #[test]
    fn template_contents_count_for_depth() {
        let html = "<template><div><template><div><p>deep</p></div></template></div></template>";
        let doc = Document::from(html);
        assert_eq!(check_depth(&doc, 8), Ok(()));
        // html, head, template, div, template, div, p: 7 elements.
        assert_eq!(check_depth(&doc, 6), Err(Limit::Depth(6)));
    }
}
