"""The editors' loop over HTTP, behind X-API-Key: the content-gap report and curated answers.

- ``GET /v1/admin/gaps?since=DATE``: questions declined as not covered and answers rated
  thumbs-down, grouped by meaning (``assistant.gaps``).
- ``GET /v1/admin/answers``, ``POST /v1/admin/answers`` ``{question, answer, aliases?}``,
  ``DELETE /v1/admin/answers/{id}``: the curated answers of ``corpus/answers``
  (``assistant.answers``); a new one is matched from the next question on.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Security
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.api import deps
from assistant.api.errors import responses
from assistant.api.routes.admin import api_key_header, require_key
from assistant.errors import Forbidden

router = APIRouter(tags=["admin"])


def require_admin_key(request: Request, key: str | None = Security(api_key_header)) -> None:
    if not request.app.state.settings.api_key:
        raise Forbidden("admin endpoints disabled: set VIXSHIELD_API_KEY")
    require_key(request, key)


class AnswerRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"question": "Do you take profits at 50% of max profit?",
                                         "answer": "The articles set no fixed profit target ...",
                                         "aliases": ["When do you close a winning iron condor?"]}]},
    )

    question: str = Field(description="The question the answer is for (1 to 500 characters)")
    answer: str = Field(description="The answer, Markdown (1 to 8,000 characters)")
    aliases: list[str] | None = Field(None, description="Other phrasings of the question (at most 20)")


ADMIN = dict(dependencies=[Depends(require_admin_key)])


@router.get("/v1/admin/gaps", summary="Content-gap report: not-covered and thumbs-down questions grouped by meaning (X-API-Key)",
            responses=responses(401, 403, 422, 429, 503), **ADMIN)
async def gaps(since: str | None = Query(None, description="Only questions asked on or after this ISO date"),
               assistant=Depends(deps.assistant)) -> dict:
    from assistant.gaps import GapReport

    report = GapReport(assistant.settings, store=assistant.store, index=assistant.index)
    return await run_in_threadpool(report.run, since)


@router.get("/v1/admin/answers", summary="List the curated answers (X-API-Key)", responses=responses(401, 403, 429, 503), **ADMIN)
async def list_answers(assistant=Depends(deps.assistant)) -> dict:
    items = await run_in_threadpool(assistant.answers.list)
    return {"count": len(items), "answers": [a.to_dict() for a in items]}


@router.post("/v1/admin/answers", status_code=201, summary="Add a curated answer; matched from the next question on (X-API-Key)",
             responses=responses(401, 403, 413, 422, 429, 503), **ADMIN)
async def add_answer(body: AnswerRequest, assistant=Depends(deps.assistant)) -> dict:
    item = await run_in_threadpool(assistant.answers.add, body.question, body.answer, body.aliases)
    return {"status": "added", **item.to_dict()}


@router.delete("/v1/admin/answers/{answer_id}", summary="Remove a curated answer (X-API-Key)",
               responses=responses(401, 403, 404, 429, 503), **ADMIN)
async def remove_answer(answer_id: str, assistant=Depends(deps.assistant)) -> dict:
    item = await run_in_threadpool(assistant.answers.remove, answer_id)
    return {"status": "removed", "id": item.id}
