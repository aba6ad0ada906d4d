"""Convert Moodle GIFT question files into our quiz YAML (see courses/README.md).

Pure Python (PyYAML and the standard library); the public API:

- convert_gift(text, title=...) -> GiftConversion with .quiz, .skipped and .problems
- dump_quiz_yaml(quiz) -> str
- main(argv) -> int: `python -m educational.catalog.gift FILE OUT.yml`

How GIFT maps onto our question types, where the choice was ours:

- `{=right ~wrong}`: single. Any `=` makes a question single-choice, as in Moodle; it must then
  have exactly one answer worth 100% and no partial credit (our single is all or nothing), or
  it is skipped. Negative weights on its wrong answers are dropped: a wrong answer scores 0.
- `{~%50%a ~%50%b ~c}` (no `=`): multiple, with a `weight` on every option (0 when none is
  written) and `correct: true` on those with a positive weight. As in Moodle, one `~%100%`
  answer alone also makes a multiple-answer question.
- `{T}` `{TRUE}` `{F}` `{FALSE}`: true_false, upper case only as in Moodle (`{true}` is a short
  answer). In `{T#a#b}`, a is the feedback for the wrong answer and b for the right one.
- `{=a =%50%b}` and `{Paris}`: short; a `*` (Moodle's wildcard) makes the answer a `pattern`.
- `{#...}`: numeric; `{#1..5}` is value 3, tolerance 2. A `~` part (feedback for any other
  answer) has no place in our format, so such a question is skipped.
- `{=a -> b}`: matching; `= -> x` adds x to the distractors.
- Text after the answers makes a missing-word question: `____` stands where the answers were.
- Essays `{}` and descriptions (no braces) are skipped with their line.
- `[html]` text is turned into Markdown (paragraphs, line breaks as paragraph breaks, bold,
  italics, code, links, images, lists; other tags dropped, their text kept). `[moodle]`,
  `[markdown]` and `[plain]` text is kept as written: Markdown shows it much as Moodle does.
"""

from educational.catalog.gift.cli import main
from educational.catalog.gift.convert import GiftConversion, convert_gift
from educational.catalog.gift.yaml_dump import dump_quiz_yaml

__all__ = ["GiftConversion", "convert_gift", "dump_quiz_yaml", "main"]
