"""The one reply object every interface returns (see ../shared/CONTRACT.md)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Citation(BaseModel):
    id: int = Field(description="The number used by the [n] markers in the answer")
    source_id: str = Field(description="Article id or glossary:<term id>")
    title: str
    url: str | None = None
    text: str = Field(description="The exact passage cited")


class Calculation(BaseModel):
    calculator: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]


class Related(BaseModel):
    id: str | None = Field(None, description="The article id (its page is /articles/<id> when url is null)")
    title: str
    url: str | None = None


class Reply(BaseModel):
    conversation_id: str
    answer: str = Field(description="Markdown; [n] markers refer to citations[].id")
    citations: list[Citation] = Field(default_factory=list)
    calculations: list[Calculation] = Field(default_factory=list)
    grounded: bool
    related: list[Related] = Field(
        default_factory=list,
        description="Only on a decline of an in-domain question the knowledge base does not answer: up to 3 nearest articles, never cited",
    )
