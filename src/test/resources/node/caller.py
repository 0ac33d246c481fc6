# A workload that uses its key the way most do: read once from the environment (envFrom), then a
# signed call every second (sts get-caller-identity, no retries). Each result goes to REPORT_URL;
# the pod is Ready once a call succeeded, and with READY_ONLY_WITH_KEY set only while it holds
# that access key id (a pod that never becomes Ready after a rotation).
import http.server
import os
import threading
import time
import urllib.parse
import urllib.request

# the aws CLI v1 of the tools image carries its own botocore
from awscli.botocore import session as botocore_session
from awscli.botocore.config import Config

pod = os.environ["POD_NAME"]
key_id = os.environ["AWS_ACCESS_KEY_ID"]
report = os.environ["REPORT_URL"]
only = os.environ.get("READY_ONLY_WITH_KEY")
succeeded = threading.Event()


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ready = succeeded.is_set() and (not only or only == key_id)
        self.send_response(200 if ready else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


threading.Thread(target=http.server.HTTPServer(("", 8080), Health).serve_forever, daemon=True).start()
sts = botocore_session.get_session().create_client(
    "sts", config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
while True:
    started = time.time()
    try:
        sts.get_caller_identity()
        ok, error = "1", ""
        succeeded.set()
    except Exception as e:  # every failure is reported, by type and AWS error code only
        code = getattr(e, "response", {}).get("Error", {}).get("Code", "")
        ok, error = "0", type(e).__name__ + ":" + code
    query = urllib.parse.urlencode({"pod": pod, "key": key_id, "ok": ok, "error": error})
    try:
        urllib.request.urlopen(report + "?" + query, timeout=2).read()
    except Exception as e:
        print("report not delivered:", type(e).__name__, flush=True)
    time.sleep(max(0.0, 1.0 - (time.time() - started)))
