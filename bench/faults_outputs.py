"""Fault table cases for what the CLI writes, the memory a run may take, and the arguments that used to
end in "this is a bug"; registered into bench/faults.py's CASES by :func:`register` (that file is long
enough already).

The special files (a FIFO, a device node with /dev/full's numbers) are made in the case's scratch folder;
no case points a writer at a system device. The device and full-disk cases need root (mknod, mount).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from bench.local_servers import redirecting_mirror, trickling_ftp

PAD8 = "pad8-conv512@1x1-conv512@1x1-pool8"  # passes the parameter limit; 16 MB of activations per image
SMALL_MACHINE = 2 * 10**9  # bytes the memory cases pretend are free (convviz.memory.available_bytes)
FTP_TRICKLE_PAUSE = 10.0  # seconds between the FTP greeting's bytes
FTP_TRICKLE_LIMIT = 60  # bytes of greeting at most (10 minutes)


def register(f) -> None:
    """Add this file's cases to ``f`` (the bench.faults module, or __main__ when it runs as a script)."""
    case, error_case, row_from, run_cli, snapshot = f.case, f._error_case, f.row_from, f.run_cli, f.snapshot
    Row, mnist, lenet5, digit_png, tmpfs = f.Row, f.SHARED_MNIST, f.LENET5, f.digit_png, f.tmpfs
    short_train = f.SHORT_TRAIN

    def record_file(scratch: Path) -> Path:
        path = scratch / "run.npz"
        path.write_bytes(b"a record; the outputs are checked before it is read")
        return path

    # -- collisions, before any work
    def record_over_save(scratch: Path) -> list:
        model = f.lenet5_model(scratch / "m")  # a model saved before: the next save replaces it
        args = ["train", "--data-dir", str(mnist), *short_train, "--save", str(model)]
        return [*args, "--record", str(model / "weights.npz")]

    case(
        "out-record-over-save",
        "train --save m --record m/weights.npz (before: the record replaced the saved model's weights)",
        "exit 2 before training; nothing written",
    )(error_case(record_over_save, "would overwrite the weights.npz", before_training=True))

    def gif_over_record(scratch: Path) -> list:
        record = record_file(scratch)
        return ["replay", str(record), "--gif", str(scratch / "." / record.name)]

    case("out-gif-over-record", "replay run.npz --gif ./run.npz", "exit 2; the record unchanged")(
        error_case(gif_over_record, "is the record it reads")
    )

    def png_over_image(scratch: Path) -> list:
        digit = digit_png(scratch / "digit.png")
        return ["explain", "--model", str(lenet5), str(digit), "--png", str(digit)]

    case("out-png-over-image", "explain digit.png --png digit.png", "exit 2; the drawing unchanged")(
        error_case(png_over_image, "is the image it reads")
    )

    # -- special files: never replaced
    def special_case(kind: str, args_for, needle: str):
        def function(scratch: Path, mirror, description: str, expected: str):
            target = scratch / "target"
            try:
                if kind == "fifo":
                    os.mkfifo(str(target))
                else:  # a device with /dev/full's numbers, in the scratch folder
                    os.mknod(str(target), 0o600 | stat.S_IFCHR, os.stat("/dev/full").st_rdev)
            except OSError as exc:
                return Row(description, expected, f"not run: cannot make the {kind} ({exc.strerror})", None)
            args = args_for(scratch, target)
            before = snapshot(scratch)
            run = run_cli(args, scratch)
            left = snapshot(scratch) - before
            mode = os.lstat(str(target)).st_mode
            intact = stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode)
            ok = run.rc == 2 and needle in run.last_error and intact and not left and "Traceback" not in run.stderr
            row = row_from(description, expected, run, ok, left)
            row.observed += f"; still a {kind}" if intact else f"; THE {kind.upper()} WAS REPLACED"
            return row

        return function

    case(
        "out-gif-device",
        "replay --gif onto a device node (/dev/full's numbers, made in $CASE; before: replaced by a GIF)",
        "exit 2; the device node stays",
    )(special_case("device", lambda s, t: ["replay", str(record_file(s)), "--gif", str(t)], "a device"))
    case("out-record-fifo", "train --record onto a FIFO", "exit 2 before training; the FIFO stays")(
        special_case("fifo", lambda s, t: ["train", "--data-dir", str(mnist), *short_train, "--record", str(t)], "FIFO")
    )
    case("out-png-fifo", "explain --png onto a FIFO", "exit 2; the FIFO stays")(
        special_case(
            "fifo",
            lambda s, t: ["explain", "--model", str(lenet5), str(digit_png(s / "d.png")), "--png", str(t)],
            "FIFO",
        )
    )

    # -- a full disk: the old picture stays whole
    def full_disk_case(args_for):
        def function(scratch: Path, mirror, description: str, expected: str):
            with tmpfs(scratch / "small", 64) as error:
                if error:
                    return Row(description, expected, f"not run: mount failed ({error})", None)
                old = scratch / "small" / "old.png"
                digit_png(old)
                old_bytes = old.read_bytes()
                with contextlib.suppress(OSError), (scratch / "small" / "filler").open("wb") as filler:
                    for _ in range(1024):  # at most 1 MiB into a 64 KiB tmpfs
                        filler.write(bytes(1024))
                        filler.flush()
                args = args_for(scratch, old)
                before = snapshot(scratch)
                run = run_cli(args, scratch)
                intact = old.read_bytes() == old_bytes
                left = snapshot(scratch) - before
                ok = run.rc == 2 and "No space left on device" in run.last_error and intact and not left
                row = row_from(description, expected, run, ok and "Traceback" not in run.stderr, left)
                row.observed += "; old file intact" if intact else "; OLD FILE CHANGED"
                return row

        return function

    case(
        "out-png-full-disk",
        "explain --png over an old picture on a full disk, tmpfs (before: left truncated to 4 KB)",
        "exit 2; the old file whole",
    )(
        full_disk_case(
            lambda s, old: ["explain", "--model", str(lenet5), str(digit_png(s / "d.png")), "--png", str(old)]
        )
    )
    case(
        "out-errors-full-disk",
        "evaluate --errors-png over an old sheet on a full disk, tmpfs (before: left truncated)",
        "exit 2; the old file whole",
    )(
        full_disk_case(
            lambda s, old: [
                "evaluate",
                "--model",
                str(lenet5),
                "--data-dir",
                str(mnist),
                "--errors",
                "5",
                "--errors-png",
                str(old),
            ]
        )
    )

    # -- memory: a network whose activations outgrow the machine is refused, never a crash
    def small_machine(scratch: Path, mirror, description: str, expected: str):
        wrapper = f.WRAPPER
        f.WRAPPER = f"import convviz.memory as _m\n_m.available_bytes = lambda: {SMALL_MACHINE}\n" + wrapper
        try:
            return error_case(
                lambda s: ["train", "--data-dir", str(mnist), "--arch", PAD8, "--epochs", "1", "--quiet"],
                "for each step",
                before_training=True,
            )(scratch, mirror, description, expected)
        finally:
            f.WRAPPER = wrapper

    case(
        "mem-pad8",
        f"train --arch {PAD8} with {SMALL_MACHINE / 1e9:g} GB free (available_bytes patched; before: 5.4 GB, SIGSEGV)",
        "exit 2 before training, one line",
    )(small_machine)

    # -- arguments that used to be "a bug in ConvViz"
    for case_id, args_for, needle, description in (
        (
            "fps-tiny",
            lambda s: ["replay", str(record_file(s)), "--gif", str(s / "o.gif"), "--fps", "1e-300"],
            "--fps must be from",
            "replay --gif --fps 1e-300",
        ),
        (
            "fps-small",
            lambda s: ["replay", str(record_file(s)), "--gif", str(s / "o.gif"), "--fps", "0.001"],
            "--fps must be from",
            "replay --gif --fps 0.001",
        ),
        (
            "memory-images-huge",
            lambda s: ["memory", "--images", "9" * 400],
            "--images must be from",
            "memory --images with 400 digits",
        ),
        (
            "spec-newline",
            lambda s: ["train", "--data-dir", str(mnist), "--arch", "conv8@3x3\n-pool2"],
            "control character",
            "train --arch 'conv8@3x3<newline>-pool2' (a NUL cannot pass argv: tests/test_cli_bounds)",
        ),
    ):
        case(case_id, description, "exit 2, one line")(error_case(args_for, needle))

    # -- a mirror that redirects to a trickling ftp:// server
    case(
        "mirror-ftp-redirect",
        f"mirror redirects to ftp://, which trickles its greeting a byte every {FTP_TRICKLE_PAUSE:g} s "
        "(before: outlived the 20 s deadline)",
        "exit 2 at once, 'only http and https'",
    )(_ftp_redirect_case(f))


def _ftp_redirect_case(f):
    def function(scratch: Path, mirror, description: str, expected: str):
        ftp = trickling_ftp(FTP_TRICKLE_PAUSE, FTP_TRICKLE_LIMIT, accept_timeout=0.2)
        with ftp as ftp_url, redirecting_mirror(ftp_url) as url:
            return f._error_case(
                lambda s: ["train", "--data-dir", str(s / "dl"), *f.SHORT_TRAIN],
                "only http and https are followed",
                mirrors=[url],
                deadline=f.TRICKLE_DEADLINE,
            )(scratch, mirror, description, expected)

    return function
