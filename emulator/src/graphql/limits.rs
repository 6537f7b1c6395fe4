//! The limits every GraphQL request is held to. Their values come from [`Limits`] (the builder's setters and the
//! binary's flags); the defaults are in the crate docs, "Limits".
//!
//! async-graphql enforces some of them itself, set on the schema builder (see [`super::schema`]):
//!
//! | limit | default | refusal (code 400) |
//! |---|---|---|
//! | depth of fields ([`Limits::max_depth`]) | 20 | `Query is nested too deep.` |
//! | complexity: fields selected, fragments expanded ([`Limits::max_complexity`]) | 1000 | `Query is too complex.` |
//! | nesting of selection sets, fragments expanded ([`MAX_RECURSIVE_DEPTH`]) | 32 | `The recursion depth of the query cannot be greater than `32`` |
//! | directives on one field ([`MAX_DIRECTIVES`]) | 8 | `The number of directives on the field ... cannot be greater than `8`` |
//!
//! The others come before async-graphql sees the request ([`check`]), for what its settings do not bound:
//!
//! * **Size of the document** ([`Limits::max_document_size`], 64 KiB): the text of `query`, before anything reads
//!   it.
//! * **Nesting of the text** ([`Limits::max_nesting`], 64): async-graphql's parser limits the nesting of selection
//!   sets but not of values, and recurses once per level of an argument such as `[[[…]]]` or `{a: {a: …}}`: some
//!   hundreds of levels overflow a thread's stack and abort the process. So the text is read once, strings and
//!   comments skipped, and a document whose `{`, `[` and `(` nest deeper than that is refused before it is parsed.
//! * **Aliases** ([`Limits::max_aliases`], 100): each alias of a root field runs its resolver once more (a login
//!   hashes a password, `accessToken` signs a token), so the aliases written in the document are counted.
//! * **Size once fragments are expanded** (at most [`Limits::max_complexity`] selections): async-graphql computes
//!   complexity and depth, and checks the directive and recursion limits, by walking the document with every
//!   fragment spread expanded in place, and only then compares the result with the limit. Twenty fragments that
//!   each spread the next twice make a million selections to walk (22 such fragments ending in `__typename` took
//!   30 seconds of a debug build, and were then accepted: `__typename` adds nothing to complexity); so the parsed
//!   document's size is worked out first, each fragment counted once, and a document of more selections (fields,
//!   fragment spreads and inline fragments) than the complexity limit is refused with `Query is too complex.` as
//!   async-graphql would.
//!
//! The documents the SDK sends stay far below every limit (the deepest has 5 levels of fields, the largest 78
//! selections, the most nested 4 levels of brackets, no alias), and so do the official SDKs' (a page of users with
//! every field, a user with its roles or custom data) and a full introspection query (13 levels, 191 selections).

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Request, ServerError};

use crate::http::Limits;

/// The deepest nesting of selection sets, fragment spreads included, a document may have.
pub(crate) const MAX_RECURSIVE_DEPTH: usize = 32;

/// The most directives one field may carry.
pub(crate) const MAX_DIRECTIVES: usize = 8;

/// Refuses a request that async-graphql's own limits would not stop in time, or that goes past a limit it does not
/// have (see the module's documentation), and hands on the others with their document parsed. A document that does
/// not parse is handed on as it is, for async-graphql to report the parse error.
pub(crate) fn check(mut request: Request, limits: &Limits) -> Result<Request, ServerError> {
    if request.query.len() > limits.max_document_size {
        let max = limits.max_document_size;
        return Err(ServerError::new(format!("The query is longer than {max} bytes."), None));
    }
    if nesting(&request.query, limits.max_nesting) > limits.max_nesting {
        let max = limits.max_nesting;
        return Err(ServerError::new(format!("The query nests brackets deeper than {max} levels."), None));
    }
    let Ok(document) = request.parsed_query() else {
        return Ok(request);
    };
    if aliases(document) > limits.max_aliases {
        let max = limits.max_aliases;
        return Err(ServerError::new(format!("The query uses more than {max} aliases."), None));
    }
    match selections(document, limits.max_complexity) {
        Size::TooDeep => Err(ServerError::new(
            format!("The recursion depth of the query cannot be greater than `{MAX_RECURSIVE_DEPTH}`"),
            None,
        )),
        Size::Selections(count) if count > limits.max_complexity => {
            Err(ServerError::new("Query is too complex.", None))
        }
        Size::Selections(_) => Ok(request),
    }
}

/// How many fields of the document's operations and fragments, as written, carry an alias.
fn aliases(document: &ExecutableDocument) -> usize {
    fn count(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => {
                    usize::from(field.node.alias.is_some()) + count(&field.node.selection_set.node)
                }
                Selection::InlineFragment(fragment) => count(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let operations = document.operations.iter().map(|(_, op)| count(&op.node.selection_set.node));
    let fragments = document.fragments.values().map(|fragment| count(&fragment.node.selection_set.node));
    operations.chain(fragments).sum()
}

/// The deepest nesting of `{`, `[` and `(` in a GraphQL document, outside strings and comments; the counting stops
/// once it passes `limit`.
fn nesting(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            // A comment, to the end of the line.
            b'#' => {
                while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
            }
            // A block string, to the next `"""` that is not escaped as `\"""`.
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 2;
            }
            // A string, to the next unescaped `"` or the end of the line (where the parser will refuse it).
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > limit {
                    return deepest;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// The size of a document with its fragments expanded.
#[derive(Debug, PartialEq)]
enum Size {
    /// How many selections it makes, or some number past the limit.
    Selections(usize),
    /// Selection sets and fragment spreads nest deeper than [`MAX_RECURSIVE_DEPTH`].
    TooDeep,
}

/// How many selections (fields, fragment spreads, inline fragments) the operations of `document` make once every
/// fragment spread is expanded, each fragment counted once; the counting stops once it passes `limit`. A spread of
/// an unknown fragment, or of one being counted (a cycle), counts as one: async-graphql refuses both.
fn selections(document: &ExecutableDocument, limit: usize) -> Size {
    let mut counter = Counter { document, limit, fragments: HashMap::new(), counting: HashSet::new(), too_deep: false };
    let mut total = 0usize;
    for (_, operation) in document.operations.iter() {
        total = total.saturating_add(counter.set(&operation.node.selection_set.node, 0));
        if total > limit || counter.too_deep {
            break;
        }
    }
    if counter.too_deep { Size::TooDeep } else { Size::Selections(total) }
}

struct Counter<'a> {
    document: &'a ExecutableDocument,
    limit: usize,
    /// The expanded size of each fragment counted so far.
    fragments: HashMap<&'a Name, usize>,
    /// The fragments being counted, to stop at a cycle.
    counting: HashSet<&'a Name>,
    /// Whether selection sets nest deeper than [`MAX_RECURSIVE_DEPTH`].
    too_deep: bool,
}

impl<'a> Counter<'a> {
    /// The expanded size of `set`, nested `depth` levels deep. Past [`MAX_RECURSIVE_DEPTH`] levels it stops and
    /// notes that the document is too deep: a chain of fragments each spreading the next is not followed further.
    fn set(&mut self, set: &'a SelectionSet, depth: usize) -> usize {
        if depth > MAX_RECURSIVE_DEPTH {
            self.too_deep = true;
            return 0;
        }
        let mut total = 0usize;
        for selection in &set.items {
            let size = match &selection.node {
                Selection::Field(field) => 1 + self.set(&field.node.selection_set.node, depth + 1),
                Selection::InlineFragment(fragment) => 1 + self.set(&fragment.node.selection_set.node, depth + 1),
                Selection::FragmentSpread(spread) => 1 + self.fragment(&spread.node.fragment_name.node, depth + 1),
            };
            total = total.saturating_add(size);
            if total > self.limit || self.too_deep {
                break;
            }
        }
        total
    }

    fn fragment(&mut self, name: &'a Name, depth: usize) -> usize {
        if let Some(&size) = self.fragments.get(name) {
            return size;
        }
        let Some(fragment) = self.document.fragments.get(name) else { return 0 };
        if !self.counting.insert(name) {
            return 0;
        }
        let size = self.set(&fragment.node.selection_set.node, depth);
        self.counting.remove(name);
        self.fragments.insert(name, size);
        size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX_COMPLEXITY: usize = 1000;

    fn size(text: &str) -> usize {
        match selections(&async_graphql::parser::parse_query(text).unwrap(), MAX_COMPLEXITY) {
            Size::Selections(count) => count,
            Size::TooDeep => usize::MAX,
        }
    }

    #[test]
    fn nesting_skips_strings_and_comments() {
        assert_eq!(nesting("{ a(x: [[1]]) { b } }", 64), 4);
        assert_eq!(nesting(r#"{ a(x: "[[[{{(") }"#, 64), 2);
        assert_eq!(nesting("{ a(x: \"\"\"[[[ \\\"\"\" [[\"\"\") }", 64), 2);
        assert_eq!(nesting("{ a # [[[[\n }", 64), 1);
        assert_eq!(nesting(r#"{ a(x: "\"[[") }"#, 64), 2);
        assert_eq!(nesting(&format!("{{ a(x: {}) }}", "[".repeat(1500)), 64), 65, "stops past the limit");
    }

    #[test]
    fn fragments_are_counted_expanded_and_once() {
        assert_eq!(size("{ a { b c } }"), 3);
        assert_eq!(size("{ ...F ...F } fragment F on Query { a b }"), 6);
        assert_eq!(size("{ ... on Query { a } }"), 2);
        let mut chain = String::from("{ ...F0 }");
        for i in 0..24 {
            chain.push_str(&format!(" fragment F{i} on Query {{ ...F{next} ...F{next} }}", next = i + 1));
        }
        chain.push_str(" fragment F24 on Query { a }");
        assert!(size(&chain) > MAX_COMPLEXITY);
        assert_eq!(size("{ ...F } fragment F on Query { ...F a }"), 3, "a cycle is left to async-graphql");
        assert_eq!(size("{ ...Unknown }"), 1);
        let mut line = String::from("{ ...F0 }");
        for i in 0..40 {
            line.push_str(&format!(" fragment F{i} on Query {{ ...F{} }}", i + 1));
        }
        line.push_str(" fragment F40 on Query { a }");
        assert_eq!(size(&line), usize::MAX, "too deep");
    }

    #[test]
    fn aliases_are_counted_as_written() {
        let count = |text: &str| aliases(&async_graphql::parser::parse_query(text).unwrap());
        assert_eq!(count("{ a b { c } }"), 0);
        assert_eq!(count("{ x: a y: a { z: c } ... on Query { w: a } }"), 4);
        assert_eq!(count("{ ...F ...F } fragment F on Query { x: a y: b }"), 2, "a fragment counts once");
    }
}
