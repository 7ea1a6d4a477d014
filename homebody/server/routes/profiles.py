"""``/api/profiles``: the named browser profiles (each keeps its own logins)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Response

from homebody.errors import BadInput, Conflict, NotFound
from homebody.server.models import ProfileIn, ProfileListOut, ProfileOut
from homebody.server.problems import ERROR_RESPONSES
from homebody.server.routes.tasks import Manager
from homebody.sessions.profiles import ProfileStore, is_in_use

ProfileName = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="a profile name")]

router = APIRouter(prefix="/api", tags=["profiles"], responses=ERROR_RESPONSES)


def _list(store: ProfileStore) -> list[tuple[str, bool]]:
    found = []
    for name in store.names():
        try:
            found.append((name, is_in_use(store.get(name, create=False))))
        except BadInput:  # removed between listing and looking
            continue
    return found


@router.get("/profiles", summary="The browser profiles and whether a browser uses each now")
async def list_profiles(manager: Manager) -> ProfileListOut:
    store = ProfileStore(manager.settings.profiles_dir)
    found = await asyncio.to_thread(_list, store)
    return ProfileListOut(
        profiles=[ProfileOut(name=name, in_use=locked or manager.profile_busy(name)) for name, locked in found]
    )


@router.post("/profiles", status_code=201, summary="Create an empty profile")
async def create_profile(body: ProfileIn, manager: Manager) -> ProfileOut:
    store = ProfileStore(manager.settings.profiles_dir)
    try:
        profile = await asyncio.to_thread(store.create, body.name)
    except BadInput as exc:  # the name was validated on arrival: this is "already exists"
        raise Conflict(f"name: {exc}") from None
    return ProfileOut(name=profile.name, in_use=False)


@router.delete(
    "/profiles/{name}", status_code=204, response_class=Response, summary="Delete a profile (409 while in use)"
)
async def delete_profile(name: ProfileName, manager: Manager) -> Response:
    if name in (".", ".."):
        raise NotFound(f"name: no profile named {name!r}")
    if manager.profile_busy(name):
        raise Conflict(f"name: profile {name!r} is in use by a running task")
    store = ProfileStore(manager.settings.profiles_dir)
    try:
        await asyncio.to_thread(store.delete, name)
    except BadInput as exc:
        raise NotFound(f"name: {exc}") from None
    return Response(status_code=204)
