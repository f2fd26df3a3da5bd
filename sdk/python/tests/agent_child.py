"""An agent process for the exit tests: connects with VALETKEY_ENROLL_CODE, reads one secret,
prints "ready <token id>", then ends the way argv[1] says: drain (falls off the end), exit
(sys.exit(3)), signal (waits to be killed), keyfile (a key-file token, falls off the end).
"""
import os
import sys
import time

from valetkey import Valetkey

mode = sys.argv[1]
key_file = os.environ.get("CHILD_KEY_FILE") if mode == "keyfile" else None
vk = Valetkey.connect(reason="exit test", name=os.environ["CHILD_NAME"], key_file=key_file)
value = vk.read("vk://Accounting/Bank/password")
print(f"ready {vk.token_id} {len(value)}", flush=True)
if mode == "exit":
    sys.exit(3)
if mode == "signal":
    while True:
        time.sleep(60)
