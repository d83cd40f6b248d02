"""Live updates: Server-Sent Events, a ``run`` event whenever a newer run is stored."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from starlette.responses import StreamingResponse

from maturity.dashboard.state import PREFIX, State, Unavailable

router = APIRouter()


@router.get(f"{PREFIX}/events", include_in_schema=False)
async def events(request: Request, state: State) -> StreamingResponse:
    """The event stream ``live.js`` listens to."""

    async def stream() -> AsyncIterator[str]:
        last: int | None = -1
        quiet = 0.0
        yield "retry: 2000\n\n"
        while not await request.is_disconnected():
            try:
                current = await asyncio.to_thread(state.latest_id)
            except Unavailable:
                current = last
            if current != last:
                last = current
                yield f"event: run\ndata: {json.dumps({'run_id': current})}\n\n"
            quiet += state.poll_seconds
            if quiet >= 15:
                quiet = 0.0
                yield ": keep-alive\n\n"
            await asyncio.sleep(state.poll_seconds)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
