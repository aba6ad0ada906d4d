"""Markdown to safe HTML, once per content version (at sync).

Authors get tables, fenced code, footnotes, admonitions, a table of contents and heading
anchors; the result is sanitised with nh3 so that course files, however they were edited,
can never put a script on a learner's page."""

import nh3
from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["tables", "fenced_code", "footnotes", "admonition", "toc", "sane_lists", "attr_list"]
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
    "a": {"href"},
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


class CourseImagesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_CourseImages(md), "course_images", 0)


def render_markdown(source: str) -> str:
    """Sanitised HTML for a module body, a summary or a question text."""
    md = Markdown(
        extensions=[*EXTENSIONS, CourseImagesExtension()], extension_configs=EXTENSION_CONFIGS
    )
    html = md.convert(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
