"""GET /v1/calculators (names, JSON schemas, examples) and POST /v1/calculators/{name} (direct call)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Body
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from assistant.api.errors import responses, validation_detail
from assistant.errors import InvalidInput, NotFound

router = APIRouter(tags=["calculators"])


@lru_cache(maxsize=1)
def _registry() -> dict[str, Any]:
    import calculators  # noqa: F401  (importing the package registers every calculator)
    from calculators.registry import all_calculators

    return {c.name: c for c in all_calculators()}


def describe(calc) -> dict:
    return {
        "name": calc.name,
        "description": calc.description,
        "input_schema": calc.inputs.model_json_schema(),
        "example": calc.example,
    }


@router.get("/v1/calculators", summary="Every calculator: name, description, input JSON schema, example inputs")
async def list_calculators() -> dict:
    calcs = [describe(c) for c in _registry().values()]
    return {"count": len(calcs), "calculators": calcs}


def _run(calc, raw: dict) -> dict:
    try:
        return calc.run(raw)
    except ValidationError as err:  # a calculator that let pydantic's error through: still the caller's input
        raise InvalidInput(validation_detail(err.errors())) from None


@router.post(
    "/v1/calculators/{name}",
    summary="Run one calculator on raw inputs; 422 with the calculator's sentence when they do not work",
    responses=responses(404, 413, 422, 429),
)
async def run_calculator(
    name: str,
    inputs: dict[str, Any] = Body(..., description="The calculator's inputs (see its input_schema and example)"),
) -> dict:
    calc = _registry().get(name)
    if calc is None:
        raise NotFound(f"no calculator named {name!r}; GET /v1/calculators lists them")
    return await run_in_threadpool(_run, calc, inputs)
