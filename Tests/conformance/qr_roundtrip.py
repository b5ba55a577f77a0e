#!/usr/bin/env python3
"""Decode Dengao's QR codes with an independent reader: every version 1-40 at every level L, M, Q, H.

Usage: qr_roundtrip.py "COMMAND" [--keep DIR]

COMMAND prints an SVG for `COMMAND --level L -- TEXT`, e.g. ".build/debug/dengao qr". For each version and level the
script picks a text exactly as long as that version's byte-mode capacity (ISO/IEC 18004 Table 7), so the encoder
must choose that version and the longest text that fits it is the one tested. It renders the SVG with rsvg-convert
at 4 px per module, quiet zone included, decodes it with `zbarimg --raw`, and compares the bytes. Exit status 1 on
any mismatch, naming the version and level.

Needs zbar-tools and librsvg2-bin (apt-get install zbar-tools librsvg2-bin); Python standard library only.

ZBar guesses the character set of byte-mode data that has no ECI header and turns short UTF-8 Chinese into Shift JIS
mojibake (党史 comes back as 蜈壼彰), so the encoder marks non-ASCII text with ECI 26 (UTF-8); `--raw` then returns
the exact UTF-8 bytes. Text with the ECI header holds one byte less than the table says. ZBar also reports false
linear barcodes inside large QR symbols, so only its QR reader is enabled.
"""

import base64
import concurrent.futures
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

LEVELS = "LMQH"

# ISO/IEC 18004:2015 Table 7, byte mode data capacity of versions 1-40 (four a line), each as (L, M, Q, H).
BYTE_CAPACITY = [
    (17, 14, 11, 7), (32, 26, 20, 14), (53, 42, 32, 24), (78, 62, 46, 34),
    (106, 84, 60, 44), (134, 106, 74, 58), (154, 122, 86, 64), (192, 152, 108, 84),
    (230, 180, 130, 98), (271, 213, 151, 119), (321, 251, 177, 137), (367, 287, 203, 155),
    (425, 331, 241, 177), (458, 362, 258, 194), (520, 412, 292, 220), (586, 450, 322, 250),
    (644, 504, 364, 280), (718, 560, 394, 310), (792, 624, 442, 338), (858, 666, 482, 382),
    (929, 711, 509, 403), (1003, 779, 565, 439), (1091, 857, 611, 461), (1171, 911, 661, 511),
    (1273, 997, 715, 535), (1367, 1059, 751, 593), (1465, 1125, 805, 625), (1528, 1190, 868, 658),
    (1628, 1264, 908, 698), (1732, 1370, 982, 742), (1840, 1452, 1030, 790), (1952, 1538, 1112, 842),
    (2068, 1628, 1168, 898), (2188, 1722, 1228, 958), (2303, 1809, 1283, 983), (2431, 1911, 1351, 1051),
    (2563, 1989, 1423, 1093), (2699, 2099, 1499, 1139), (2809, 2213, 1579, 1219), (2953, 2331, 1663, 1273),
]

CHINESE = "登高答题：中国共产党党史知识竞赛，第一轮。遵义会议召开于哪一年？新中国成立于一九四九年。"
FILLER = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-._~"


def token(version, level):
    """A 43-character base64url token, as a 32-byte random invite token would be."""
    digest = hashlib.sha256(f"{version}-{level}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def fill(prefix, length):
    """`prefix` cut at a character boundary to at most `length` UTF-8 bytes, padded with ASCII to exactly `length`."""
    text = ""
    for character in prefix:
        if len((text + character).encode()) > length:
            break
        text += character
    missing = length - len(text.encode())
    return text + (FILLER * (missing // len(FILLER) + 1))[:missing]


def text_for(version, level):
    """A text that needs exactly `version` at `level`: a URL, Chinese, or both, by turns."""
    capacity = BYTE_CAPACITY[version - 1][LEVELS.index(level)]
    url = f"https://dengao.example/invite#{token(version, level)}"
    kind = (version + LEVELS.index(level)) % 3
    if kind == 0:
        return fill(url + "?" + FILLER * 50, capacity)
    chinese = CHINESE * (capacity // len(CHINESE.encode()) + 1)
    # Non-ASCII text carries the 12-bit UTF-8 ECI header, which costs exactly one byte of every capacity in Table 7.
    text = fill(chinese if kind == 1 else url + " " + chinese, capacity - 1)
    # In the smallest versions the URL leaves no room for Chinese; plain ASCII gets the whole capacity.
    return text + FILLER[0] if text.isascii() else text


def zbarimg_command():
    # Only the QR reader: with every symbology on, ZBar also "finds" linear codes in the finer symbols' modules
    # (a DataBar 0108221100615259 inside version 32-H) and prints them as a second line.
    command = ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable"]
    usage = subprocess.run(["zbarimg", "--help"], capture_output=True, text=True).stdout
    if "--nodbus" in usage:
        command.append("--nodbus")  # otherwise every run complains on stderr that there is no system bus
    return command


def check(command, zbarimg, directory, version, level):
    """None when the symbol decodes to the text, otherwise what went wrong."""
    name = f"v{version:02d}-{level}"
    text = text_for(version, level)
    produced = subprocess.run(command + ["--level", level, "--", text], capture_output=True)
    if produced.returncode != 0:
        return f"{name}: the command failed ({produced.returncode}): {produced.stderr.decode(errors='replace')}"
    svg_path = os.path.join(directory, name + ".svg")
    png_path = os.path.join(directory, name + ".png")
    with open(svg_path, "wb") as file:
        file.write(produced.stdout)

    match = re.search(rb'viewBox="0 0 (\d+) (\d+)"', produced.stdout)
    if not match:
        return f"{name}: no viewBox in the SVG"
    side = int(match.group(1))
    modules = side - 2 * 4
    if modules != 17 + 4 * version:
        return f"{name}: {len(text.encode())} bytes gave {modules} modules, not version {version}'s {17 + 4 * version}"

    pixels = str(4 * side)
    rendered = subprocess.run(["rsvg-convert", "-w", pixels, "-h", pixels, "-b", "white", "-o", png_path, svg_path],
                              capture_output=True)
    if rendered.returncode != 0:
        return f"{name}: rsvg-convert failed: {rendered.stderr.decode(errors='replace')}"

    decoded = subprocess.run(zbarimg + [png_path], capture_output=True)
    expected = text.encode() + b"\n"
    if decoded.returncode != 0 or not decoded.stdout:
        return f"{name}: zbarimg found no QR code (exit {decoded.returncode}) in {len(text.encode())} bytes of text"
    if decoded.stdout != expected:
        got = decoded.stdout
        common = min(len(got), len(expected))
        at = next((i for i in range(common) if got[i] != expected[i]), common)
        return (f"{name}: decoded {len(got) - 1} bytes, expected {len(expected) - 1}; from byte {at} got "
                f"{got[at:at + 24]!r}, expected {expected[at:at + 24]!r}")
    return None


def main():
    arguments = sys.argv[1:]
    keep = None
    if "--keep" in arguments:
        index = arguments.index("--keep")
        keep = arguments[index + 1]
        del arguments[index:index + 2]
    if len(arguments) != 1:
        sys.exit(__doc__.split("\n\n")[1])
    command = shlex.split(arguments[0])
    for tool in ("zbarimg", "rsvg-convert"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: apt-get install zbar-tools librsvg2-bin")

    directory = keep or tempfile.mkdtemp(prefix="qr-roundtrip-")
    os.makedirs(directory, exist_ok=True)
    zbarimg = zbarimg_command()
    cases = [(version, level) for version in range(1, 41) for level in LEVELS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        failures = [f for f in pool.map(lambda case: check(command, zbarimg, directory, *case), cases) if f]
    if keep is None:
        shutil.rmtree(directory)

    for failure in failures:
        print("FAIL " + failure)
    print(f"QR round-trip: {len(cases) - len(failures)}/{len(cases)} decoded")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
