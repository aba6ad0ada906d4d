"""The problems an import file has, each told as ``PATH:LINE: message``."""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Problems:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, path: Path, line: int, message: str) -> None:
        self.errors.append(f"{path}:{line}: {message}")

    def warn(self, path: Path, line: int, message: str) -> None:
        self.warnings.append(f"{path}:{line}: warning: {message}")

    def __bool__(self) -> bool:
        return bool(self.errors)
