"""What the end-to-end scripts' WebSocket clients share: waiting for a message type, and an answer to a question as
a phone would send it."""
import asyncio, json, time


async def receive(ws, wanted, timeout=20):
    """The next message of type `wanted`, skipping others; TimeoutError after `timeout` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=max(0.1, deadline - time.time())))
        if message["type"] == wanted:
            return message
    raise TimeoutError(wanted)


def answer_fields(question, index=0):
    """What answers `question` (a contest's or a climb's): option `index` (wrapped), a truth, or a text."""
    if question.get("options"):
        return {"picks": [index % len(question["options"])]}
    if question.get("type") == "truefalse":
        return {"truth": index % 2 == 0}
    return {"text": "答案"}


def answer_message(question, index=0):
    """A contest answer to `question` as a phone sends it over the socket."""
    return {"type": "answer", "number": question["number"], **answer_fields(question, index)}
