"""Inputs that used to end in "this is a bug": each is one line and exit 2 now."""

from __future__ import annotations

import pytest

from convviz.errors import ConfigError
from convviz.netspec import get_spec


@pytest.mark.parametrize("fps", ["1e-300", "0.001", "0.09", "51", "1e300", "nan", "inf", "-1"])
def test_replay_gif_fps_outside_what_a_gif_holds_exits_2(tmp_path, run_cli, fps):
    record = tmp_path / "run.npz"
    record.write_bytes(b"not read: the fps is checked first")
    proc = run_cli("replay", str(record), "--gif", str(tmp_path / "out.gif"), "--fps", fps, check_rc=2)
    assert proc.stderr.startswith("convviz: error: --fps must be from 0.1 to 50") and proc.stderr.count("\n") == 1
    assert not (tmp_path / "out.gif").exists()


def test_the_gif_writer_bounds_fps_and_the_last_frame_too(tmp_path):
    from convviz.recording import RecordingError, Timeline
    from convviz.recording.gif import filters_gif

    class Frames(Timeline):  # only what filters_gif looks at before it draws
        def __init__(self):
            pass

        kernels = object()

        def __len__(self):
            return 1

    for kwargs, words in (({"fps": 0.001}, "frames per second"), ({"hold_last": 1e300}, "held")):
        with pytest.raises(RecordingError, match=words) as caught:
            filters_gif(Frames(), tmp_path / "out.gif", **kwargs)
        assert str(caught.value).count("\n") == 0


@pytest.mark.parametrize("images", ["1000000001", "9" * 400])
def test_memory_images_is_bounded(run_cli, images):
    proc = run_cli("memory", "--images", images, check_rc=2)
    assert "--images must be from 1 to 1,000,000,000" in proc.stderr and proc.stderr.count("\n") == 1


def test_memory_images_at_the_bound_works(run_cli):
    proc = run_cli("memory", "--images", "1000000000", "--batch-size", "64", check_rc=0)
    assert "all 1000000000 images" in proc.stdout


@pytest.mark.parametrize("spec", ["conv8@3x3\n-pool2", "conv8@3x3-pool2\n", "conv8@3x3\t-pool2", "\nconv8@3x3"])
@pytest.mark.parametrize("command", ["train", "memory"])
def test_a_control_character_in_a_spec_exits_2(run_cli, command, spec):
    proc = run_cli(command, "--arch", spec, check_rc=2)
    assert "control character" in proc.stderr and proc.stderr.count("\n") == 1


@pytest.mark.parametrize("spec", ["conv8@3x3\x00-pool2", "conv8@3x3-pool2\x00", "pool2\r", "conv8@3x3\x7f"])
def test_a_nul_in_a_spec_is_refused(spec):
    # argv cannot carry a NUL; a spec from a record or model.json can.
    with pytest.raises(ConfigError, match="control character") as caught:
        get_spec(spec)
    assert str(caught.value).count("\n") == 0


def test_spaces_around_the_dashes_are_still_fine():
    assert get_spec(" conv8@3x3 - pool2 ").name == "conv8@3x3-pool2"
