//! Reading an exchange file safely into plain records: the size is checked before parsing, the
//! parser refuses any DTD (so no entity is ever expanded or fetched) and stops at a node limit,
//! and the tree's depth is checked before anything walks it. Then the model's parts are read as
//! Archi 4.x and 5.x (and the other tools) write them: `xsi:type`, names per `xml:lang`,
//! `propertyDefinitionRef` (or the older `identifierRef`), nested organizations, views.

use super::xml::{NAMESPACE, XSI_NAMESPACE};
use roxmltree::{Document, Node, ParsingOptions};
use std::collections::HashMap;

/// The largest exchange file read, in bytes (64 MiB): an export of about 20,000 elements (one of
/// 10,000 generated elements, with its views, is 31 MB). A 100 MB file is refused unread.
pub const MAX_FILE_SIZE: usize = 64 * 1024 * 1024;
/// The most XML nodes (elements, texts, comments) a file may hold.
pub const MAX_NODES: u32 = 4_000_000;
/// The deepest element nesting read (organizations and view containers nest; nothing legitimate
/// comes near).
pub const MAX_DEPTH: usize = 256;

/// Why an exchange file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error(
        "the file is {size} bytes, over the limit of {limit} bytes (64 MiB) for an exchange file"
    )]
    TooLarge { size: usize, limit: usize },
    #[error(
        "the file declares a DTD (<!DOCTYPE …>): exchange files have none, and DTDs are refused (their entities could expand without bound or name files to read)"
    )]
    Dtd,
    #[error("the file has more than {limit} XML nodes")]
    TooManyNodes { limit: u32 },
    #[error("the file nests elements more than {limit} deep")]
    TooDeep { limit: usize },
    #[error("the file is not well-formed XML: {0}")]
    Xml(String),
    #[error(
        "the file is not an ArchiMate exchange file: its root element is <{0}>, not <model> in the namespace {NAMESPACE}"
    )]
    NotExchangeFile(String),
}

/// A text in one language (`None`: no `xml:lang`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangText {
    pub lang: Option<String>,
    pub text: String,
}

/// An element or relationship as the file has it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Concept {
    pub identifier: String,
    /// `xsi:type`.
    pub archimate_type: String,
    pub names: Vec<LangText>,
    pub documentation: Vec<LangText>,
    /// (property name, value), in file order; a property whose definition is missing is named
    /// by its reference.
    pub properties: Vec<(String, String)>,
    /// Relationships only.
    pub source: String,
    pub target: String,
    /// Access relationships: `accessType` (default `Access`); Influence: `modifier`;
    /// Association: `isDirected`.
    pub access: Option<String>,
    pub extra: Vec<(String, String)>,
}

/// One diagram (`<view xsi:type="Diagram">`): what the import needs to turn it into a view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagram {
    pub identifier: String,
    pub names: Vec<LangText>,
    pub elements: Vec<String>,
}

/// The whole file, read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExchangeFile {
    pub identifier: String,
    pub version: Option<String>,
    pub names: Vec<LangText>,
    pub documentation: Vec<LangText>,
    pub properties: Vec<(String, String)>,
    pub elements: Vec<Concept>,
    pub relationships: Vec<Concept>,
    /// The folder (labels from the top) of every item that refers to something.
    pub folders: HashMap<String, Vec<String>>,
    pub views: usize,
    pub nodes: usize,
    pub connections: usize,
    /// Each diagram: its identifier, names and the elements its nodes show (identifiers, in
    /// document order, each once).
    pub diagrams: Vec<Diagram>,
    /// Property definitions with neither a name nor a use, and other oddities worth a warning.
    pub notes: Vec<String>,
}

/// Parses `xml` within the limits and reads it.
pub fn read(xml: &str) -> Result<ExchangeFile, ReadError> {
    if xml.len() > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge {
            size: xml.len(),
            limit: MAX_FILE_SIZE,
        });
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(xml, options).map_err(|error| match error {
        roxmltree::Error::DtdDetected => ReadError::Dtd,
        roxmltree::Error::NodesLimitReached => ReadError::TooManyNodes { limit: MAX_NODES },
        other => ReadError::Xml(other.to_string()),
    })?;
    check_depth(&document)?;
    let root = document.root_element();
    if root.tag_name().name() != "model" || root.tag_name().namespace() != Some(NAMESPACE) {
        let name = match root.tag_name().namespace() {
            Some(namespace) => format!("{} xmlns=\"{namespace}\"", root.tag_name().name()),
            None => root.tag_name().name().to_owned(),
        };
        return Err(ReadError::NotExchangeFile(name));
    }
    let mut file = ExchangeFile {
        identifier: root.attribute("identifier").unwrap_or_default().to_owned(),
        version: root.attribute("version").map(str::to_owned),
        names: texts(root, "name"),
        documentation: texts(root, "documentation"),
        ..ExchangeFile::default()
    };
    let definitions = definitions(root);
    file.properties = properties(root, &definitions);
    for child in children(root, "elements") {
        for element in children(child, "element") {
            file.elements.push(concept(element, &definitions));
        }
    }
    for child in children(root, "relationships") {
        for relationship in children(child, "relationship") {
            let mut concept = concept(relationship, &definitions);
            relationship
                .attribute("source")
                .unwrap_or_default()
                .clone_into(&mut concept.source);
            relationship
                .attribute("target")
                .unwrap_or_default()
                .clone_into(&mut concept.target);
            concept.access = match concept.archimate_type.as_str() {
                "Access" => Some(
                    relationship
                        .attribute("accessType")
                        .unwrap_or("Access")
                        .to_owned(),
                ),
                _ => None,
            };
            for attribute in ["modifier", "isDirected"] {
                if let Some(value) = relationship.attribute(attribute) {
                    concept.extra.push((attribute.to_owned(), value.to_owned()));
                }
            }
            file.relationships.push(concept);
        }
    }
    for organizations in children(root, "organizations") {
        for item in children(organizations, "item") {
            folders(item, &mut Vec::new(), &mut file.folders);
        }
    }
    for views in children(root, "views") {
        for diagrams in children(views, "diagrams") {
            for view in children(diagrams, "view") {
                file.views += 1;
                let mut elements: Vec<String> = Vec::new();
                for node in view.descendants().filter(|node| is(*node, "node")) {
                    if let Some(element) = node.attribute("elementRef")
                        && !elements.iter().any(|seen| seen == element)
                    {
                        elements.push(element.to_owned());
                    }
                }
                file.diagrams.push(Diagram {
                    identifier: view.attribute("identifier").unwrap_or_default().to_owned(),
                    names: texts(view, "name"),
                    elements,
                });
                file.nodes += view.descendants().filter(|node| is(*node, "node")).count();
                file.connections += view
                    .descendants()
                    .filter(|node| is(*node, "connection"))
                    .count();
            }
        }
    }
    Ok(file)
}

/// Fails when elements nest deeper than [`MAX_DEPTH`] (walked without recursion).
fn check_depth(document: &Document) -> Result<(), ReadError> {
    let mut stack: Vec<(Node, usize)> = vec![(document.root_element(), 1)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(ReadError::TooDeep { limit: MAX_DEPTH });
        }
        stack.extend(
            node.children()
                .filter(Node::is_element)
                .map(|child| (child, depth + 1)),
        );
    }
    Ok(())
}

fn is(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(NAMESPACE)
}

fn children<'a, 'input>(
    node: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |child| is(*child, name))
}

/// The texts of `node`'s `name` children, with their languages.
fn texts(node: Node, name: &str) -> Vec<LangText> {
    children(node, name)
        .map(|child| LangText {
            lang: child
                .attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
                .map(str::to_owned),
            text: child.text().unwrap_or_default().to_owned(),
        })
        .collect()
}

/// The text in Vietnamese, else the first one; `None` when there is none.
pub fn preferred(texts: &[LangText]) -> Option<&str> {
    texts
        .iter()
        .find(|text| text.lang.as_deref() == Some("vi"))
        .or_else(|| texts.first())
        .map(|text| text.text.as_str())
}

/// Property definitions: identifier → name (the `<name>` child, or the `name` attribute older
/// files use).
fn definitions(root: Node) -> HashMap<String, String> {
    let mut definitions = HashMap::new();
    for container in children(root, "propertyDefinitions") {
        for definition in children(container, "propertyDefinition") {
            let Some(identifier) = definition.attribute("identifier") else {
                continue;
            };
            let name = preferred(&texts(definition, "name"))
                .map(str::to_owned)
                .or_else(|| definition.attribute("name").map(str::to_owned))
                .unwrap_or_else(|| identifier.to_owned());
            definitions.insert(identifier.to_owned(), name);
        }
    }
    definitions
}

fn properties(node: Node, definitions: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for container in children(node, "properties") {
        for property in children(container, "property") {
            let Some(reference) = property
                .attribute("propertyDefinitionRef")
                .or_else(|| property.attribute("identifierRef"))
            else {
                continue;
            };
            let name = definitions
                .get(reference)
                .cloned()
                .unwrap_or_else(|| reference.to_owned());
            let values = texts(property, "value");
            out.push((name, preferred(&values).unwrap_or_default().to_owned()));
        }
    }
    out
}

fn concept(node: Node, definitions: &HashMap<String, String>) -> Concept {
    let mut names = texts(node, "name");
    if names.is_empty() {
        // ArchiMate 2.1 exchange files name things with <label>.
        names = texts(node, "label");
    }
    Concept {
        identifier: node.attribute("identifier").unwrap_or_default().to_owned(),
        archimate_type: node
            .attribute((XSI_NAMESPACE, "type"))
            .unwrap_or_default()
            .to_owned(),
        names,
        documentation: texts(node, "documentation"),
        properties: properties(node, definitions),
        ..Concept::default()
    }
}

/// Records the folder of every item under `item` that refers to something.
fn folders(item: Node, path: &mut Vec<String>, out: &mut HashMap<String, Vec<String>>) {
    let sub_items: Vec<Node> = children(item, "item").collect();
    if let Some(reference) = item.attribute("identifierRef")
        && sub_items.is_empty()
    {
        out.entry(reference.to_owned())
            .or_insert_with(|| path.clone());
        return;
    }
    let label = preferred(&texts(item, "label"))
        .unwrap_or_default()
        .trim()
        .to_owned();
    path.push(label);
    for child in sub_items {
        folders(child, path, out);
    }
    path.pop();
}
