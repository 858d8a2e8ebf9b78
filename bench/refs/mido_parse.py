#!/usr/bin/env python3
"""Reference for the midi-import benchmark: Debian's python3-mido parsing the same MIDI files.

Does what the studio's import worker does for each file: read the bytes, SHA-256 them, parse them.
Usage: mido_parse.py [--warmup W] [--repeat N] FILE_LIST   (FILE_LIST: one path per line)
Parses the first W files once untimed (warm-up), then all files N times, timed.
Prints one JSON object: {"seconds": [one total per repeat], "files": n, "messages": m}.
"""
import argparse
import hashlib
import io
import json
import time

import mido


def parse_all(paths):
    messages = 0
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        hashlib.sha256(data).hexdigest()
        midi = mido.MidiFile(file=io.BytesIO(data))
        messages += sum(len(track) for track in midi.tracks)
    return messages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=0)
    parser.add_argument("file_list")
    args = parser.parse_args()
    with open(args.file_list, encoding="utf-8") as handle:
        paths = [line.rstrip("\n") for line in handle if line.strip()]
    parse_all(paths[: args.warmup])
    seconds = []
    messages = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        messages = parse_all(paths)
        seconds.append(time.perf_counter() - start)
    print(json.dumps({"seconds": seconds, "files": len(paths), "messages": messages}))


if __name__ == "__main__":
    main()
