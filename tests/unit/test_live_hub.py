"""The live view's frame hub: order, latest-frame slots, slow viewers, closing, capture threads."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from homebody.sessions.live import FrameHub, LiveFrame, jpeg_size
from homebody.types import Size

T = TypeVar("T")


def run(body: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(asyncio.wait_for(body(), 10))


def frame_bytes(i: int) -> bytes:
    return b"frame-%d" % i


def test_publish_numbers_frames_in_order_and_keeps_the_latest() -> None:
    hub = FrameHub()
    frames = [hub.publish(frame_bytes(i), 10, 20, ts=100.0 + i) for i in range(3)]
    assert [f.seq for f in frames] == [1, 2, 3]
    assert hub.latest == frames[-1]
    assert (hub.latest.data, hub.latest.width, hub.latest.height, hub.latest.ts) == (b"frame-2", 10, 20, 102.0)
    assert hub.published == 3


def test_a_viewer_that_keeps_up_gets_every_frame_in_order() -> None:
    async def body() -> list[int]:
        hub = FrameHub()
        got: list[int] = []
        async with hub.subscribe() as sub:
            for i in range(50):
                hub.publish(frame_bytes(i), 1, 1)
                frame = await sub.next(wait_s=1)
                assert frame is not None
                got.append(frame.seq)
            assert (sub.delivered, sub.dropped) == (50, 0)
        return got

    assert run(body) == list(range(1, 51))


def test_a_slow_viewer_drops_frames_while_a_fast_one_gets_all_and_publish_never_waits() -> None:
    async def body() -> None:
        hub = FrameHub()
        fast_seqs: list[int] = []
        slow_seqs: list[int] = []
        fast, slow = hub.subscribe(), hub.subscribe()

        async def watch(sub_seqs: list[int], sub: object, pause: float) -> None:
            async for frame in sub:  # type: ignore[attr-defined]
                sub_seqs.append(frame.seq)
                await asyncio.sleep(pause)

        tasks = [
            asyncio.create_task(watch(fast_seqs, fast, 0)),
            asyncio.create_task(watch(slow_seqs, slow, 0.2)),
        ]
        for i in range(40):
            hub.publish(frame_bytes(i), 1, 1)  # synchronous: it cannot wait for anyone
            await asyncio.sleep(0.005)  # the loop turns, as it does between screencast frames
        await asyncio.sleep(0.25)  # the slow viewer takes the last frame left in its slot
        hub.close()
        await asyncio.gather(*tasks)

        assert fast_seqs == list(range(1, 41))
        assert (fast.delivered, fast.dropped) == (40, 0)
        assert slow_seqs == sorted(slow_seqs) and slow_seqs[-1] == 40
        assert slow.delivered == len(slow_seqs) < 10
        assert slow.delivered + slow.dropped == 40  # every frame was either seen or replaced

    run(body)


def test_a_new_subscriber_gets_the_latest_frame_at_once() -> None:
    async def body() -> None:
        hub = FrameHub()
        empty = hub.subscribe()
        assert await empty.next(wait_s=0.05) is None  # nothing published yet
        hub.publish(b"old", 1, 1)
        latest = hub.publish(b"new", 1, 1)
        async with hub.subscribe() as sub:
            assert await sub.next(wait_s=0.1) == latest
            assert hub.subscribers == 2
        assert hub.subscribers == 1  # leaving the block unsubscribes

    run(body)


def test_close_ends_every_iteration_and_later_subscriptions() -> None:
    async def body() -> None:
        hub = FrameHub()
        subs = [hub.subscribe() for _ in range(3)]

        async def drain(sub: object) -> list[LiveFrame]:
            return [frame async for frame in sub]  # type: ignore[attr-defined]

        tasks = [asyncio.create_task(drain(sub)) for sub in subs]
        await asyncio.sleep(0.01)
        hub.publish(b"one", 1, 1)
        await asyncio.sleep(0.01)
        hub.close()
        results = await asyncio.wait_for(asyncio.gather(*tasks), 1)
        assert [[f.data for f in got] for got in results] == [[b"one"]] * 3
        assert hub.subscribers == 0
        late = hub.subscribe()
        assert late.closed and [f async for f in late] == []

    run(body)


def test_closing_one_subscription_leaves_the_others() -> None:
    async def body() -> None:
        hub = FrameHub()
        leaving, staying = hub.subscribe(), hub.subscribe()
        leaving.close()
        hub.publish(b"x", 1, 1)
        assert await leaving.next(wait_s=0.05) is None
        got = await staying.next(wait_s=0.05)
        assert got is not None and got.data == b"x"
        assert hub.subscribers == 1

    run(body)


def test_frames_from_a_capture_thread_arrive_in_order_newest_last() -> None:
    async def body() -> None:
        hub = FrameHub()
        sub = hub.subscribe()
        seen: list[bytes] = []

        def capture() -> None:
            for i in range(200):
                hub.publish_threadsafe(frame_bytes(i), 4, 3, ts=float(i))

        thread = threading.Thread(target=capture)
        thread.start()
        while thread.is_alive() or hub.latest is None or hub.latest.data != frame_bytes(199):
            frame = await sub.next(wait_s=1)
            if frame is not None:
                seen.append(frame.data)
        thread.join()
        last = await sub.next(wait_s=0.05)
        if last is not None:
            seen.append(last.data)
        numbers = [int(data.split(b"-")[1]) for data in seen]
        assert numbers == sorted(numbers) and numbers[-1] == 199  # never out of order, never stale
        assert hub.published + hub.coalesced == 200  # each hand-over was published or replaced
        assert hub.latest.ts == 199.0 and (hub.latest.width, hub.latest.height) == (4, 3)

    run(body)


def test_jpeg_size_reads_the_frame_header() -> None:
    import cv2
    import numpy as np

    data = cv2.imencode(".jpg", np.zeros((30, 70, 3), np.uint8))[1].tobytes()
    assert jpeg_size(data) == Size(70, 30)
    assert jpeg_size(b"\x89PNG....") is None
    assert jpeg_size(data[:20]) is None
