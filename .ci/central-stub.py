"""A stand-in for the Central Portal's upload endpoint on 127.0.0.1, for .ci/release-bundle: it accepts one bundle
upload, keeps nothing, answers with a deployment id, and serves status queries as 'VALIDATED'."""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def _drain(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                self.rfile.read(size + 2)
                if size == 0:
                    return
        self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def do_POST(self):
        self._drain()
        body = b"ci-stub-deployment" if "upload" in self.path else json.dumps(
            {"deploymentId": "ci-stub-deployment", "deploymentState": "VALIDATED", "purls": []}).encode()
        self.send_response(201 if "upload" in self.path else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
