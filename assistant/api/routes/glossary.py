"""GET /v1/glossary and GET /v1/glossary/{term} (alias- and typo-aware lookup)."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass

from fastapi import APIRouter, Depends, Path

from assistant.api import deps
from assistant.api.errors import responses
from assistant.errors import NotFound

router = APIRouter(tags=["glossary"])

FIELDS = ("id", "term", "aliases", "definition", "sources", "related")


def term_dict(term) -> dict:
    if hasattr(term, "model_dump"):
        data = term.model_dump(mode="json")
    elif is_dataclass(term):
        data = asdict(term)
    else:
        data = {f: getattr(term, f, None) for f in FIELDS}
    return {f: data.get(f) for f in FIELDS}


@router.get("/v1/glossary", summary="Every glossary entry", responses=responses(429, 503))
async def glossary(assistant=Depends(deps.assistant)) -> dict:
    terms = [term_dict(t) for t in assistant.index.glossary]
    return {"count": len(terms), "terms": terms}


@router.get("/v1/glossary/{term}", summary="One entry by name, alias or near spelling", responses=responses(404, 422, 429, 503))
async def glossary_term(
    term: str = Path(min_length=1, max_length=200, description="Term, alias, abbreviation or id"),
    assistant=Depends(deps.assistant),
) -> dict:
    found = assistant.index.glossary.lookup(term) if term.strip() else None
    if found is None:
        raise NotFound(f"no glossary entry for {term!r}; GET /v1/glossary lists them")
    return term_dict(found)
