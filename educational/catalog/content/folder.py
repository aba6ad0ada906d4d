"""One course folder: course.yml, its modules and quizzes and their translations, checked
against each other and assembled into a Course."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from educational.catalog.content.course import CourseSpec, load_course_spec
from educational.catalog.content.files import CourseFiles, scan_course
from educational.catalog.content.model import Course, Module, ModuleText, Quiz, Scheme
from educational.catalog.content.module import ModuleSource, load_module
from educational.catalog.content.names import SLUG, SLUG_HINT
from educational.catalog.content.problems import Problem, Report, guarded
from educational.catalog.content.quiz import QuizSource, load_quiz
from educational.catalog.content.translation import merge_quiz, module_translation
from educational.catalog.content.yamlsource import quote


class CourseLoader:
    """Loads one course folder; every problem goes into the shared list."""

    def __init__(self, folder: Path, scheme: Scheme | None, problems: list[Problem]) -> None:
        self.folder = folder
        self.slug = folder.name
        self.scheme = scheme
        self.problems = problems

    def report_for(self, path: Path) -> Report:
        return Report(f"{self.slug}/{path.relative_to(self.folder).as_posix()}", self.problems)

    def load(self) -> Course | None:
        if SLUG.fullmatch(self.slug) is None:
            Report(self.slug, self.problems).add(
                1, f"the course folder name {quote(self.slug)} is not a valid slug: use {SLUG_HINT}"
            )
        spec_path = self.folder / "course.yml"
        report = self.report_for(spec_path)
        spec = None
        if spec_path.is_file():
            spec = guarded(report, partial(load_course_spec, spec_path, report, self.scheme))
        else:
            report.add(
                1,
                f'the course folder "{self.slug}" has no course.yml; '
                "add one (see courses/README.md) or remove the folder",
            )
        files = scan_course(self.folder, self.report_for)
        quizzes = self._quizzes(files, spec)
        modules = self._modules(files, spec)
        if spec is None:
            return None
        self._check_references(files, spec, modules, report)
        return self._course(spec, files, modules, quizzes)

    # Quizzes

    def _quizzes(self, files: CourseFiles, spec: CourseSpec | None) -> dict[str, Quiz]:
        sources: dict[str, QuizSource] = {}
        for name, path in files.quizzes.items():
            report = self.report_for(path)
            source = guarded(report, partial(load_quiz, path, report, name))
            if source is not None:
                sources[name] = source
        self._check_question_ids(files, sources)
        merged = {}
        for name, source in sources.items():
            translations = {}
            for language, path in files.quiz_translations.get(name, {}).items():
                report = self.report_for(path)
                loaded = guarded(report, partial(load_quiz, path, report, name))
                if loaded is not None:
                    translations[language] = (loaded, report)
            report = self.report_for(files.quizzes[name])
            file_name = files.quizzes[name].name
            merged[name] = guarded(report, partial(merge_quiz, source, translations, file_name))
        self._check_translation_files(files.quizzes, files.quiz_translations, spec, "{}.quiz.yml")
        return {name: quiz for name, quiz in merged.items() if quiz is not None}

    def _check_question_ids(self, files: CourseFiles, sources: dict[str, QuizSource]) -> None:
        seen: dict[str, str] = {}
        for name, source in sources.items():
            report = self.report_for(files.quizzes[name])
            for question_id, line in source.question_lines:
                if not question_id:
                    continue
                if question_id in seen:
                    report.add(
                        line,
                        f'question id "{question_id}" is already used at {seen[question_id]}; '
                        "question ids must be unique within the course",
                    )
                else:
                    seen[question_id] = f"{name}.quiz.yml:{line}"

    # Modules

    def _modules(
        self, files: CourseFiles, spec: CourseSpec | None
    ) -> dict[str, tuple[ModuleSource, dict[str, ModuleText]]]:
        images = set(files.images)
        modules = {}
        for name, path in files.modules.items():
            report = self.report_for(path)
            source = guarded(report, partial(load_module, path, report, images, translation=False))
            if source is None:
                continue
            texts = {}
            for language, translation_path in files.module_translations.get(name, {}).items():
                report = self.report_for(translation_path)
                translated = guarded(
                    report, partial(load_module, translation_path, report, images, translation=True)
                )
                text = (
                    module_translation(source, translated, report, path.name)
                    if translated is not None
                    else None
                )
                if text is not None:
                    texts[language] = text
            modules[name] = (source, texts)
        self._check_translation_files(files.modules, files.module_translations, spec, "{}.md")
        return modules

    # Cross-checks

    def _check_translation_files(
        self,
        originals: dict[str, Path],
        translations: dict[str, dict[str, Path]],
        spec: CourseSpec | None,
        original_name: str,
    ) -> None:
        """Each translation needs an original and one of the course's other languages.

        A missing translation is no problem: learners get the original, with a notice.
        """
        for name, by_language in translations.items():
            for language, path in by_language.items():
                report = self.report_for(path)
                if name not in originals:
                    original = original_name.format(name)
                    report.add(1, f"this translation has no original: {original} does not exist")
                elif spec is not None and language == spec.language:
                    report.add(
                        1,
                        f'this file is a translation into "{language}", the course\'s own '
                        "language; merge it into the original or delete it",
                    )
                elif spec is not None and language not in spec.languages:
                    report.add(
                        1,
                        f'this translation is into "{language}", which is not in course.yml\'s '
                        f"languages ({', '.join(spec.languages)}); add it there or delete the file",
                    )

    def _check_references(
        self,
        files: CourseFiles,
        spec: CourseSpec,
        modules: dict[str, tuple[ModuleSource, dict[str, ModuleText]]],
        report: Report,
    ) -> None:
        listed = {name for name, _line in spec.modules}
        for name, line in spec.modules:
            if name not in files.modules:
                report.add(
                    line,
                    f'module "{name}" is listed but {name}.md does not exist; '
                    "create the file or fix the name",
                )
        for name, path in files.modules.items():
            if name not in listed:
                self.report_for(path).add(
                    1,
                    f"{name}.md is not listed in course.yml's modules; "
                    "add it there or delete the file",
                )
        used = {spec.exam} if spec.exam else set()
        if spec.exam and spec.exam not in files.quizzes:
            report.add(
                spec.exam_line,
                f'exam "{spec.exam}" has no file {spec.exam}.quiz.yml in this course; '
                "create it or fix the name",
            )
        for name, (source, _texts) in modules.items():
            if source.quiz is None:
                continue
            used.add(source.quiz)
            if source.quiz not in files.quizzes:
                self.report_for(files.modules[name]).add(
                    source.quiz_line,
                    f'quiz "{source.quiz}" has no file {source.quiz}.quiz.yml in this course; '
                    "create it or fix the name",
                )
        for name, path in files.quizzes.items():
            if name not in used:
                self.report_for(path).add(
                    1,
                    f'quiz "{name}" is not used: make it the exam in course.yml or the quiz of '
                    "a module, or delete the file",
                )

    # Assembly

    def _course(
        self,
        spec: CourseSpec,
        files: CourseFiles,
        sources: dict[str, tuple[ModuleSource, dict[str, ModuleText]]],
        quizzes: dict[str, Quiz],
    ) -> Course:
        modules = tuple(
            Module(
                name=name,
                position=position,
                title=sources[name][0].title,
                estimated_minutes=sources[name][0].estimated_minutes or 0,
                quiz=sources[name][0].quiz,
                body=sources[name][0].body,
                translations=dict(sorted(sources[name][1].items())),
            )
            for position, (name, _line) in enumerate(spec.modules, start=1)
            if name in sources
        )
        minutes = spec.estimated_minutes
        return Course(
            slug=self.slug,
            title=spec.title,
            summary=spec.summary,
            version=spec.version,
            language=spec.language,
            languages=spec.languages,
            estimated_minutes=(
                minutes if minutes is not None else sum(m.estimated_minutes for m in modules)
            ),
            standard_code=spec.standard_code,
            standard_version=spec.standard_version,
            required_for=spec.required_for,
            translations=dict(sorted(spec.translations.items())),
            modules=modules,
            quizzes=dict(sorted(quizzes.items())),
            exam=spec.exam,
            certificate_validity_months=spec.certificate_validity_months,
            images=files.images,
            refresher=spec.refresher,
        )
