"""Markdown to safe HTML, once per content version (at sync).

Authors get tables, fenced code, footnotes, admonitions, a table of contents and heading
anchors; the result is sanitised with nh3 so that course files, however they were edited,
can never put a script on a learner's page."""

import threading
import xml.etree.ElementTree as etree

import nh3
from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["tables", "fenced_code", "footnotes", "admonition", "toc", "sane_lists", "attr_list"]
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
EXTENSION_CONFIGS = {
    "toc": {"permalink": "#", "permalink_title": "Link to this section", "toc_depth": "2-3"},
    "footnotes": {"BACKLINK_TITLE": "Back to the text"},
}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "div": {"tabindex"},
    "a": {"href", "aria-labelledby"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}


class _CourseImages(Treeprocessor):
    """Point ``images/x.png`` at the course's image route. Module pages live at
    /courses/<slug>/modules/<name>, so ``../images/x.png`` reaches /courses/<slug>/images/."""

    def run(self, root):
        for img in root.iter("img"):
            src = img.get("src", "")
            if src.startswith("images/"):
                img.set("src", "../" + src)
            img.set("loading", "lazy")


class _AnchorsBesideHeadings(Treeprocessor):
    """Move each heading's "#" permalink (added by toc) out of the heading, into a wrapper
    beside it, and name the link by the heading: inside, it made every heading's accessible
    name end in "#". The heading keeps its id, so links to it still work."""

    def run(self, root):
        for parent in list(root.iter()):
            for position, heading in enumerate(list(parent)):
                anchor = heading.find("a[@class='headerlink']")
                if heading.tag not in HEADINGS or anchor is None:
                    continue
                heading.remove(anchor)
                anchor.attrib.pop("title", None)
                anchor.set("aria-labelledby", heading.get("id", ""))
                anchor.tail = None
                wrapper = etree.Element("div", {"class": "heading-anchor"})
                wrapper.tail, heading.tail = heading.tail, None
                parent.remove(heading)
                wrapper.extend([heading, anchor])
                parent.insert(position, wrapper)


class _ScrollingTables(Treeprocessor):
    """Put each table in a box that scrolls sideways (``.table-scroll``) so a wide table
    never makes the page wider than a phone; the box takes the focus, so it scrolls by
    keyboard too."""

    def run(self, root):
        for parent in list(root.iter()):
            for position, table in enumerate(list(parent)):
                if table.tag != "table":
                    continue
                box = etree.Element("div", {"class": "table-scroll", "tabindex": "0"})
                box.tail, table.tail = table.tail, None
                parent.remove(table)
                box.append(table)
                parent.insert(position, box)


class CourseImagesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_CourseImages(md), "course_images", 0)
        # After toc (priority 5), which adds the permalinks.
        md.treeprocessors.register(_AnchorsBesideHeadings(md), "anchors_beside_headings", 1)
        md.treeprocessors.register(_ScrollingTables(md), "scrolling_tables", 1)


_local = threading.local()


def _markdown() -> Markdown:
    """This thread's Markdown converter, reset: building one (its extensions) costs more
    than converting a module (a sync renders thousands)."""
    md = getattr(_local, "markdown", None)
    if md is None:
        md = _local.markdown = Markdown(
            extensions=[*EXTENSIONS, CourseImagesExtension()], extension_configs=EXTENSION_CONFIGS
        )
    return md.reset()


def render_markdown(source: str) -> str:
    """Sanitised HTML for a module body, a summary or a question text."""
    html = _markdown().convert(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
