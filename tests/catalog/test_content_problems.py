"""Broken content, one problem kind per case: the exact `path:line: message` lines reported.

Each case copies the valid fixture tree (content_fixtures/valid) into a temporary folder and
changes one or two files; a case lists every problem the loader must report, in order.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from educational.catalog.content import load_tree

FIXTURE = Path(__file__).parent / "content_fixtures" / "valid"

Edit = Callable[[Path], None]


def replace(path: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        text = (root / path).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {path}"
        (root / path).write_text(text.replace(old, new), encoding="utf-8")

    return edit


def write(path: str, content: str | bytes) -> Edit:
    def edit(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (root / path).write_bytes(data)

    return edit


def delete(path: str) -> Edit:
    return lambda root: (root / path).unlink()


def rename(old: str, new: str) -> Edit:
    return lambda root: (root / old).rename(root / new)


def case(name: str, edits: list[Edit], *expected: str) -> object:
    return pytest.param(edits, list(expected), id=name)


CASES = [
    # Files and YAML
    case(
        "yaml-syntax",
        [replace("basics/course.yml", "title: Basics for auditors", 'title: "Basics for auditors')],
        "basics/course.yml:3: invalid YAML (while parsing a block mapping): expected <block "
        "end>, but found '<scalar>'",
    ),
    case(
        "not-utf8",
        [
            write(
                "basics/02-method.md",
                "---\ntitle: Method\nestimated_minutes: 25\n---\nCaf\xe9\n".encode("latin-1"),
            )
        ],
        "basics/02-method.md:5: the file is not UTF-8 text (byte 0xe9); save it as UTF-8",
    ),
    case(
        "binary",
        [write("basics/intro-check.quiz.yml", b"\x89PNG\r\n\x1a\n\x00\x00\x00")],
        "basics/intro-check.quiz.yml:1: the file is not UTF-8 text (byte 0x89); save it as UTF-8",
    ),
    case(
        "control-char",
        [replace("basics/02-method.md", "Plan, do", "Plan,\x00 do")],
        "basics/02-method.md:7: the file contains the control character U+0000, which text "
        "files must not hold; is it a binary file?",
    ),
    case(
        "top-list",
        [write("scheme.yml", "- code: ASI\n- name: x\n")],
        "scheme.yml:1: the YAML must be a mapping (key: value lines) at the top; it is a list",
    ),
    case(
        "empty-quiz",
        [write("basics/intro-check.quiz.yml", "")],
        "basics/intro-check.quiz.yml:1: there is no YAML here; write the keys this file needs",
    ),
    case(
        "duplicate-key",
        [replace("basics/course.yml", "language: en\n", "language: en\nlanguage: fr\n")],
        'basics/course.yml:5: the key "language" appears twice; keep one of them',
    ),
    case(
        "alias",
        [replace("basics/course.yml", "translations:", "x: &a 1\ny: *a\ntranslations:")],
        "basics/course.yml:16: invalid YAML: aliases (*name) are not supported; write the "
        "value out in full",
    ),
    case(
        "unknown-file",
        [write("basics/notes.txt", "x"), write("basics/exam.quiz.yaml", "x")],
        "basics/exam.quiz.yaml:1: this file is not part of the course format (course.yml, "
        "NN-<module>.md, <quiz>.quiz.yml, their .<language> translations, images/); rename or "
        "delete it",
        "basics/notes.txt:1: this file is not part of the course format (course.yml, "
        "NN-<module>.md, <quiz>.quiz.yml, their .<language> translations, images/); rename or "
        "delete it",
    ),
    case(
        "bad-image-file",
        [write("basics/images/notes.txt", "x")],
        "basics/images/notes.txt:1: only .png, .jpg, .jpeg, .gif and .svg files belong in "
        "images/; move or delete this file",
    ),
    case(
        "no-scheme",
        [delete("scheme.yml")],
        "scheme.yml:1: scheme.yml is missing; every content folder needs one (see "
        "courses/README.md)",
    ),
    case(
        "no-course-yml",
        [delete("basics/course.yml")],
        'basics/course.yml:1: the course folder "basics" has no course.yml; add one (see '
        "courses/README.md) or remove the folder",
        'scheme.yml:33: the course "basics" has no folder basics/ with a course.yml; add the '
        "course or fix the name",
    ),
    case(
        "bad-course-folder",
        [rename("basics", "Basics")],
        'Basics:1: the course folder name "Basics" is not a valid slug: use lower-case '
        "letters, digits and hyphens, starting with a letter or digit",
        'scheme.yml:33: the course "basics" has no folder basics/ with a course.yml; add the '
        "course or fix the name",
    ),
    # Types, keys and names
    case(
        "wrong-type-list",
        [
            replace(
                "basics/course.yml",
                "required_for: [auditor, lead_auditor]",
                "required_for: auditor",
            )
        ],
        'basics/course.yml:8: "required_for" must be a list (write [] for none); it is "auditor"',
    ),
    case(
        "wrong-type-int",
        [replace("basics/course.yml", "estimated_minutes: 45", "estimated_minutes: forty-five")],
        'basics/course.yml:6: "estimated_minutes" must be a whole number of at least 1; it is '
        '"forty-five"',
    ),
    case(
        "wrong-type-bool",
        [
            replace(
                "basics/final-exam.quiz.yml",
                "    correct_answers: true",
                "    correct_answers: sometimes",
            )
        ],
        'basics/final-exam.quiz.yml:10: "correct_answers" must be true or false; it is "sometimes"',
    ),
    case(
        "string-for-mapping",
        [
            replace(
                "basics/course.yml", "certificate:\n  validity_months: 36", "certificate: 36 months"
            )
        ],
        'basics/course.yml:13: the certificate must be a mapping (key: value); it is "36 months"',
    ),
    case(
        "unknown-key-typo",
        [replace("basics/course.yml", "summary: What", "sumary: What")],
        'basics/course.yml:1: course.yml is missing the required key "summary"',
        'basics/course.yml:2: unknown key "sumary" in course.yml; did you mean "summary"?',
    ),
    case(
        "unknown-key",
        [
            replace(
                "basics/final-exam.quiz.yml", "  pass_mark: 75", "  pass_mark: 75\n  colour: blue"
            )
        ],
        'basics/final-exam.quiz.yml:9: unknown key "colour" in the settings; allowed keys: '
        "cooldown_minutes, draw, grading, max_attempts, pass_mark, review, shuffle_options, "
        "shuffle_questions, time_limit_minutes",
    ),
    case(
        "missing-field",
        [
            replace(
                "basics/intro-check.quiz.yml",
                "        text: An accreditation lasts three years.\n",
                "",
            )
        ],
        'basics/intro-check.quiz.yml:5: question "intro-tf" is missing the required key "text"',
    ),
    case(
        "bad-slug-id",
        [replace("basics/final-exam.quiz.yml", "id: q-single", "id: Q_Single")],
        'basics/final-exam.quiz.yml:15: "id" is "Q_Single", which is not valid: use lower-case '
        "letters, digits and hyphens, starting with a letter or digit",
    ),
    # scheme.yml
    case(
        "scheme-unknown-sector",
        [replace("scheme.yml", "sectors: [smelting]", "sectors: [smelting, casting]")],
        'scheme.yml:18: standard "COC" lists the sector "casting", which is not in sectors '
        "(known: mining, smelting)",
    ),
    case(
        "scheme-requirement-course",
        [replace("scheme.yml", "course: basics}", "course: advanced}")],
        'scheme.yml:33: the course "advanced" has no folder advanced/ with a course.yml; add '
        "the course or fix the name",
    ),
    case(
        "scheme-unknown-kind",
        [replace("scheme.yml", "{kind: standard_course}", "{kind: standards_course}")],
        'scheme.yml:34: requirement 2 of role "auditor" has the unknown kind '
        '"standards_course"; known kinds: course, standard_course, qualification, audits, '
        "sector_experience, country_experience, specialist_area_evidence",
    ),
    case(
        "scheme-renewal-kind-in-requirements",
        [replace("scheme.yml", "{kind: standard_course}", "{kind: cpd, hours_per_cycle: 60}")],
        'scheme.yml:34: requirement 2 of role "auditor" has the kind "cpd", which is read over '
        'an accreditation cycle; list it under the role\'s "renewal:"',
    ),
    case(
        "scheme-cpd-without-categories",
        [
            replace(
                "scheme.yml",
                "      - {kind: specialist_area_evidence}\n",
                "      - {kind: specialist_area_evidence}\n    renewal:\n"
                "      - {kind: cpd, hours_per_cycle: 30}\n",
            )
        ],
        'scheme.yml:29: role "specialist" requires CPD hours at renewal, but scheme.yml has no '
        '"cpd: categories:" to log them in',
    ),
    case(
        "scheme-cycle-sections",
        [
            replace(
                "scheme.yml",
                "roles:\n",
                "appeals: {window_days: 0, decide_in: 60}\n"
                "registry: {show_under_appeal: maybe}\n"
                "cpd:\n  categories:\n    - {code: training, name: Training, "
                "max_hours_per_cycle: -1}\n    - {code: training, name: Again}\n"
                "roles:\n",
            )
        ],
        'scheme.yml:29: "window_days" must be a whole number of at least 1; it is 0',
        'scheme.yml:29: unknown key "decide_in" in "appeals"; did you mean "decide_days"?',
        'scheme.yml:30: "show_under_appeal" must be true or false; it is "maybe"',
        'scheme.yml:33: "max_hours_per_cycle" must be a whole number of at least 1; it is -1',
        'scheme.yml:34: CPD category code "training" is already used on line 33; CPD category '
        "codes must be unique",
    ),
    case(
        "scheme-include-cycle",
        [
            replace(
                "scheme.yml",
                "    name: Accredited Auditor\n",
                "    name: Accredited Auditor\n    includes: lead_auditor\n",
            )
        ],
        'scheme.yml:32: role "auditor" includes itself (auditor -> lead_auditor -> auditor); '
        "remove one of these includes",
        'scheme.yml:42: role "lead_auditor" includes itself (lead_auditor -> auditor -> '
        "lead_auditor); remove one of these includes",
    ),
    case(
        "scheme-date",
        [replace("scheme.yml", "published: 2017-12-01", "published: 2017-13-01")],
        'scheme.yml:20: "published" must be a date like 2024-05-31; it is "2017-13-01"',
    ),
    case(
        "scheme-default-language",
        [replace("scheme.yml", "default_language: en", "default_language: es")],
        'scheme.yml:3: default_language "es" is not in languages (en, fr, de)',
    ),
    # course.yml and the files it names
    case(
        "unknown-standard",
        [replace("basics/course.yml", "{code: PS,", "{code: XYZ,")],
        'basics/course.yml:7: standard "XYZ" is not in scheme.yml (known: COC, PS)',
    ),
    case(
        "unknown-version",
        [replace("basics/course.yml", 'version: "2"}', 'version: "4"}')],
        'basics/course.yml:7: standard "PS" has no version "4" in scheme.yml (known: 1, 2)',
    ),
    case(
        "unknown-role",
        [
            replace(
                "basics/course.yml", "[auditor, lead_auditor]", "[auditor, lead-auditor, auditr]"
            )
        ],
        'basics/course.yml:8: "required_for" item 2 is "lead-auditor", which is not valid: use '
        'lower-case letters, digits and underscores, like "lead_auditor"',
        'basics/course.yml:8: role "auditr" is not in scheme.yml (known: auditor, '
        "lead_auditor, specialist)",
    ),
    case(
        "course-language-not-in-scheme",
        [replace("scheme.yml", "languages: [en, fr, de]", "languages: [en, de]")],
        'basics/course.yml:5: language "fr" is not one of the scheme\'s languages (en, de)',
    ),
    case(
        "course-translation-language",
        [
            replace(
                "basics/course.yml",
                '  fr: {title: "Les bases pour auditeurs", '
                'summary: "Ce que tout auditeur doit savoir."}',
                '  de: {title: "Grundlagen", summary: "Was jeder wissen muss."}',
            )
        ],
        'basics/course.yml:16: translation "de" is not in "languages" (en, fr); add it there '
        "or remove the translation",
    ),
    case(
        "module-missing",
        [delete("basics/02-method.md"), delete("basics/02-method.fr.md")],
        'basics/course.yml:11: module "02-method" is listed but 02-method.md does not exist; '
        "create the file or fix the name",
    ),
    case(
        "module-unlisted",
        [
            write("basics/03-extra.md", "---\ntitle: Extra\nestimated_minutes: 5\n---\nText.\n"),
            write("basics/03-extra.fr.md", "---\ntitle: Plus\n---\nTexte.\n"),
        ],
        "basics/03-extra.md:1: 03-extra.md is not listed in course.yml's modules; add it there "
        "or delete the file",
    ),
    case(
        "quiz-missing-module",
        [delete("basics/intro-check.quiz.yml"), delete("basics/intro-check.quiz.fr.yml")],
        'basics/01-intro.md:4: quiz "intro-check" has no file intro-check.quiz.yml in this '
        "course; create it or fix the name",
    ),
    case(
        "quiz-missing-exam",
        [replace("basics/course.yml", "exam: final-exam", "exam: final")],
        'basics/course.yml:12: exam "final" has no file final.quiz.yml in this course; create '
        "it or fix the name",
        'basics/final-exam.quiz.yml:1: quiz "final-exam" is not used: make it the exam in '
        "course.yml or the quiz of a module, or delete the file",
    ),
    case(
        "unused-quiz",
        [
            write(
                "basics/spare.quiz.yml",
                "title: Spare\npools:\n  - id: p\n    questions:\n"
                "      - {id: spare-q, type: true_false, text: 'Yes?', answer: true}\n",
            ),
            write(
                "basics/spare.quiz.fr.yml",
                "title: Spare\npools:\n  - id: p\n    questions:\n"
                "      - {id: spare-q, type: true_false, text: 'Oui ?', answer: true}\n",
            ),
        ],
        'basics/spare.quiz.yml:1: quiz "spare" is not used: make it the exam in course.yml or '
        "the quiz of a module, or delete the file",
    ),
    # Modules
    case(
        "front-matter-missing",
        [write("basics/02-method.md", "# Method\n")],
        "basics/02-method.md:1: a module starts with front matter: a --- line, title: and "
        "estimated_minutes:, then another --- line",
    ),
    case(
        "front-matter-unclosed",
        [write("basics/02-method.md", "---\ntitle: Method\n")],
        "basics/02-method.md:1: the front matter that starts on line 1 has no closing --- line",
    ),
    case(
        "image-missing",
        [replace("basics/01-intro.md", "images/path.png", "images/paht.png")],
        'basics/01-intro.md:10: the image "images/paht.png" is not in the course\'s images/ '
        "folder; add the file or fix the name",
    ),
    case(
        "image-escapes",
        [replace("basics/01-intro.md", "images/path.png", "images/../../scheme.yml")],
        'basics/01-intro.md:10: the image "images/../../scheme.yml" points outside the '
        "course's images/ folder; write a path like images/<file>",
    ),
    case(
        "image-url",
        [replace("basics/02-method.md", "Plan, do", "![x](https://example.org/x.png) Plan, do")],
        'basics/02-method.md:7: the image "https://example.org/x.png" is not a file of this '
        "course; copy it into images/ and write images/<file>",
    ),
    # Quiz settings and pools
    case(
        "pass-mark",
        [replace("basics/final-exam.quiz.yml", "pass_mark: 75", "pass_mark: 120")],
        'basics/final-exam.quiz.yml:8: "pass_mark" must be a number from 0 to 100; it is 120',
    ),
    case(
        "grading",
        [replace("basics/final-exam.quiz.yml", "pass_mark: 75", "pass_mark: 75\n  grading: best")],
        'basics/final-exam.quiz.yml:9: "grading" must be "highest" or "last"; it is "best"',
    ),
    case(
        "points-negative",
        [replace("basics/final-exam.quiz.yml", "points: 2", "points: -2")],
        'basics/final-exam.quiz.yml:25: "points" must be a number of at least 0; it is -2',
    ),
    case(
        "draw-too-many",
        [replace("basics/final-exam.quiz.yml", "{pool: open, count: 3}", "{pool: open, count: 5}")],
        'basics/final-exam.quiz.yml:5: draw asks for 5 questions from pool "open", which has '
        "only 4",
    ),
    case(
        "draw-unknown-pool",
        [replace("basics/final-exam.quiz.yml", "{pool: open, count: 3}", "{pool: opn, count: 3}")],
        'basics/final-exam.quiz.yml:5: draw names the pool "opn", which is not in this quiz '
        "(pools: choice, open)",
    ),
    case(
        "dup-pool",
        [replace("basics/final-exam.quiz.yml", "  - id: open", "  - id: choice")],
        "basics/final-exam.quiz.fr.yml:2: the pools (choice, open) differ from those of the "
        "original final-exam.quiz.yml (choice, choice); a translation may only change the texts",
        'basics/final-exam.quiz.yml:5: draw names the pool "open", which is not in this quiz '
        "(pools: choice)",
        'basics/final-exam.quiz.yml:38: pool id "choice" is already used on line 12; pool ids '
        "must be unique within the quiz",
    ),
    # Questions
    case(
        "unknown-type",
        [replace("basics/final-exam.quiz.yml", "type: ordering", "type: sorting")],
        'basics/final-exam.quiz.yml:60: question "q-ordering" has the unknown type "sorting"; '
        "known types: single, multiple, true_false, numeric, short, matching, ordering",
    ),
    case(
        "dup-question-across",
        [replace("basics/intro-check.quiz.yml", "id: intro-tf", "id: q-single")],
        'basics/intro-check.quiz.fr.yml:3: pool "intro" has the questions intro-tf here but '
        "q-single in the original; a translation may only change the texts",
        'basics/intro-check.quiz.yml:5: question id "q-single" is already used at '
        "final-exam.quiz.yml:15; question ids must be unique within the course",
    ),
    case(
        "dup-option",
        [
            replace(
                "basics/final-exam.quiz.yml", '{id: c, text: "Neither"}', '{id: a, text: "Neither"}'
            )
        ],
        'basics/final-exam.quiz.yml:21: option id "a" is already used on line 19; option ids '
        'must be unique within question "q-single"',
    ),
    case(
        "dup-pair",
        [replace("basics/final-exam.quiz.yml", "{id: coc, prompt: COC", "{id: ps, prompt: COC")],
        'basics/final-exam.quiz.yml:57: pair id "ps" is already used on line 56; pair ids must '
        'be unique within question "q-matching"',
    ),
    case(
        "dup-item",
        [
            replace(
                "basics/final-exam.quiz.yml",
                "{id: report, text: Report}",
                "{id: plan, text: Report}",
            )
        ],
        'basics/final-exam.quiz.yml:65: item id "plan" is already used on line 63; item ids '
        'must be unique within question "q-ordering"',
    ),
    case(
        "single-two-correct",
        [
            replace(
                "basics/final-exam.quiz.yml",
                '{id: c, text: "Neither"}',
                '{id: c, text: "Neither", correct: true}',
            )
        ],
        'basics/final-exam.quiz.yml:18: question "q-single" of type single needs exactly one '
        "correct option; it has 2",
    ),
    case(
        "single-none-correct",
        [
            replace(
                "basics/final-exam.quiz.yml",
                '"Chain of Custody Standard", correct: true,',
                '"Chain of Custody Standard",',
            )
        ],
        'basics/final-exam.quiz.yml:18: question "q-single" of type single needs exactly one '
        "correct option; it has 0",
    ),
    case(
        "multiple-none-correct",
        [
            replace(
                "basics/final-exam.quiz.yml",
                "{id: a, text: Mining, correct: true}\n"
                "          - {id: b, text: Smelting, correct: true}",
                "{id: a, text: Mining}\n          - {id: b, text: Smelting}",
            )
        ],
        'basics/final-exam.quiz.yml:27: question "q-multiple" of type multiple needs at least '
        "one correct option; it has none",
    ),
    case(
        "weights-partial",
        [
            replace(
                "basics/final-exam.quiz.yml",
                "{id: c, text: Wood, weight: -50}",
                "{id: c, text: Wood}",
            )
        ],
        'basics/final-exam.quiz.yml:37: option "c" of question "q-weighted" has no weight; '
        "give every option a weight, or none",
    ),
    case(
        "weights-sum",
        [
            replace(
                "basics/final-exam.quiz.yml",
                "correct: true, weight: 40",
                "correct: true, weight: 30",
            )
        ],
        'basics/final-exam.quiz.yml:34: the positive weights of question "q-weighted" add up '
        "to 90; they must add up to 100 so that a complete answer scores 100 %",
    ),
    case(
        "answer-tf",
        [replace("basics/intro-check.quiz.yml", "answer: true", "answer: maybe")],
        'basics/intro-check.quiz.yml:8: "answer" must be true or false; it is "maybe"',
    ),
    case(
        "distractor-is-match",
        [
            replace(
                "basics/final-exam.quiz.yml",
                "distractors: [Code of Conduct]",
                "distractors: [Chain of Custody]",
            )
        ],
        'basics/final-exam.quiz.yml:58: distractor "Chain of Custody" of question "q-matching" '
        'is also the match of pair "coc"; a distractor must be a wrong choice',
    ),
    case(
        "numeric-no-full",
        [
            replace(
                "basics/final-exam.quiz.yml",
                '{value: 11, feedback: "Eleven."}',
                "{value: 11, weight: 90}",
            )
        ],
        'basics/final-exam.quiz.yml:43: question "q-numeric" needs an answer with weight 100 '
        "(a fully correct answer); the highest weight is 90",
    ),
    case(
        "short-bad-pattern",
        [replace("basics/final-exam.quiz.yml", '"alumin(i)?um"', '"alumin(i?um"')],
        'basics/final-exam.quiz.yml:51: the pattern of answer 2 of question "q-short" is not a '
        "valid regular expression: missing ), unterminated subpattern",
    ),
    case(
        "short-nested",
        [replace("basics/final-exam.quiz.yml", '"alumin(i)?um"', '"(a+)+b"')],
        'basics/final-exam.quiz.yml:51: the pattern of answer 2 of question "q-short" repeats '
        "a group that itself repeats, like (a+)+; such patterns can take very long to match, "
        "so simplify it",
    ),
    case(
        "short-both",
        [
            replace(
                "basics/final-exam.quiz.yml", "{text: Aluminium}", "{text: Aluminium, pattern: Al}"
            )
        ],
        'basics/final-exam.quiz.yml:50: answer 1 of question "q-short" has both "text" and '
        '"pattern"; keep one',
    ),
    # Translations
    case(
        "translation-language",
        [write("basics/02-method.de.md", "---\ntitle: Methode\n---\nText.\n")],
        'basics/02-method.de.md:1: this translation is into "de", which is not in '
        "course.yml's languages (en, fr); add it there or delete the file",
    ),
    case(
        "translation-bad-code",
        [write("basics/02-method.xx.md", "---\ntitle: Methode\n---\nText.\n")],
        'basics/02-method.xx.md:1: "xx" in the file name is not an ISO 639-1 language code; a '
        "translation is named like <name>.fr.md or <name>.quiz.fr.yml",
    ),
    case(
        "translation-own-language",
        [write("basics/02-method.en.md", "---\ntitle: Method\n---\nText.\n")],
        'basics/02-method.en.md:1: this file is a translation into "en", the course\'s own '
        "language; merge it into the original or delete it",
    ),
    case(
        "translation-without-original",
        [write("basics/03-extra.fr.md", "---\ntitle: Plus\n---\nTexte.\n")],
        "basics/03-extra.fr.md:1: this translation has no original: 03-extra.md does not exist",
    ),
    case(
        "translation-structure",
        [
            replace(
                "basics/final-exam.quiz.fr.yml",
                '{id: c, text: "Aucune"}',
                '{id: c, text: "Aucune", correct: true}',
            )
        ],
        'basics/final-exam.quiz.fr.yml:9: question "q-single" of type single needs exactly one '
        "correct option; it has 2",
    ),
    case(
        "translation-correctness",
        [
            replace(
                "basics/final-exam.quiz.fr.yml",
                '"Norme de chaîne de contrôle", correct: true,',
                '"Norme de chaîne de contrôle",',
            ),
            replace(
                "basics/final-exam.quiz.fr.yml",
                '{id: c, text: "Aucune"}',
                '{id: c, text: "Aucune", correct: true}',
            ),
        ],
        'basics/final-exam.quiz.fr.yml:6: question "q-single" differs from the original at '
        "options.2.correct (original: true, here: false); a translation may only change the "
        "texts",
    ),
    case(
        "translation-ids",
        [
            replace(
                "basics/final-exam.quiz.fr.yml",
                "{id: report, text: Rapporter}",
                "{id: rapport, text: Rapporter}",
            )
        ],
        'basics/final-exam.quiz.fr.yml:50: question "q-ordering" differs from the original at '
        'items.3.id (original: "report", here: "rapport"); a translation may only change the '
        "texts",
    ),
    case(
        "translation-order",
        [replace("basics/final-exam.quiz.fr.yml", "- id: q-matching", "- id: q-matching-x")],
        'basics/final-exam.quiz.fr.yml:29: pool "open" has the questions q-numeric, q-short, '
        "q-matching-x, q-ordering here but q-numeric, q-short, q-matching, q-ordering in the "
        "original; a translation may only change the texts",
    ),
    case(
        "translation-type",
        [replace("basics/intro-check.quiz.fr.yml", "answer: true", "answer: false")],
        'basics/intro-check.quiz.fr.yml:5: question "intro-tf" differs from the original at '
        "answer (original: true, here: false); a translation may only change the texts",
    ),
    case(
        "module-translation-quiz",
        [replace("basics/01-intro.fr.md", "quiz: intro-check", "quiz: other-check")],
        'basics/01-intro.fr.md:3: quiz "other-check" differs from the original 01-intro.md\'s '
        '("intro-check"); leave it out or repeat the original\'s',
    ),
    case(
        "module-translation-minutes",
        [replace("basics/02-method.fr.md", "estimated_minutes: 25", "estimated_minutes: 30")],
        "basics/02-method.fr.md:3: estimated_minutes 30 differs from the original "
        "02-method.md's (25); leave it out or repeat the original's",
    ),
    case(
        "settings-in-translation",
        [
            replace(
                "basics/final-exam.quiz.fr.yml",
                "title: Examen final\n",
                "title: Examen final\nsettings:\n  pass_mark: 50\n",
            )
        ],
        "basics/final-exam.quiz.fr.yml:2: the settings differ from the original "
        "final-exam.quiz.yml; leave them out of a translation (the original's apply)",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), CASES)
def test_broken_content_is_reported_exactly(
    tmp_path: Path, edits: list[Edit], expected: list[str]
) -> None:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE, root)
    for edit in edits:
        edit(root)

    result = load_tree(root)

    assert [str(problem) for problem in result.problems] == expected
    assert result.tree is None


def test_the_fixture_itself_is_valid() -> None:
    result = load_tree(FIXTURE)

    assert result.problems == []
    assert result.tree is not None


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE, root)
    replace("basics/course.yml", "estimated_minutes: 45", "estimated_minutes: -1")(root)
    replace("basics/final-exam.quiz.yml", "pass_mark: 75", "pass_mark: 101")(root)
    replace("scheme.yml", "validity_years: 3", "validity_years: three")(root)

    problems = [str(problem) for problem in load_tree(root).problems]

    assert problems == [
        'basics/course.yml:6: "estimated_minutes" must be a whole number of at least 1; it is -1',
        'basics/final-exam.quiz.yml:8: "pass_mark" must be a number from 0 to 100; it is 101',
        'scheme.yml:5: "validity_years" must be a whole number of at least 1; it is "three"',
    ]


def test_a_missing_root_is_one_problem(tmp_path: Path) -> None:
    result = load_tree(tmp_path / "nowhere")

    assert [str(problem) for problem in result.problems] == [
        f".:1: {tmp_path / 'nowhere'} is not a folder; give the path of the content folder"
    ]
