import os
import subprocess
import sys

from flowers_helpers.quiet import quiet_stderr


def test_importing_the_package_prints_no_tensorflow_logs():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    code = "import flowers_helpers, tensorflow as tf, keras; print(tf.reduce_sum(tf.ones(3)).numpy())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "3.0"
    assert result.stderr == ""


def test_quiet_stderr_drops_noise_but_keeps_real_messages(capfd):
    with quiet_stderr():
        os.write(2, b"I0000 port.cc:153] oneDNN custom operations are on.\n")
        os.write(2, b"something a reader must see\n")
    assert capfd.readouterr().err == "something a reader must see\n"


def test_quiet_stderr_restores_stderr_after_an_error(capfd):
    try:
        with quiet_stderr():
            raise KeyError("boom")
    except KeyError:
        pass
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"
