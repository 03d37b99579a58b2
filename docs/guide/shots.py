#!/usr/bin/env python3
"""Takes the teachers' guides' screenshots from a running `ruban serve`, in French and English.

    ruban serve --bind 127.0.0.1:8099 --database sqlite:///tmp/shots.db &
    python3 docs/guide/shots.py http://127.0.0.1:8099

Needs Debian's chromium and chromium-driver. Drives the playground through ChromeDriver (W3C
WebDriver), the way the browser tests do, and writes docs/guide/*.png.
"""
import base64, json, os, socket, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["value"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Browser:
    def __init__(self):
        port = free_port()
        self.proc = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                call(self.base, "GET", "/status")
                break
            except Exception:
                time.sleep(0.1)
        self.profile = tempfile.mkdtemp()
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--window-size=900,1000", f"--user-data-dir={self.profile}"]}}}}
        self.session = call(self.base, "POST", "/session", caps)["sessionId"]

    def cmd(self, method, path, body=None):
        return call(self.base, method, f"/session/{self.session}{path}", body if body is not None else ({} if method == "POST" else None))

    def goto(self, url):
        self.cmd("POST", "/url", {"url": url})

    def find(self, css):
        return self.cmd("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def type(self, css, text):
        el = self.find(css)
        self.cmd("POST", f"/element/{el}/clear")
        self.cmd("POST", f"/element/{el}/value", {"text": text})

    def click(self, css):
        self.cmd("POST", f"/element/{self.find(css)}/click")

    def script(self, js):
        return self.cmd("POST", "/execute/sync", {"script": js, "args": []})

    def wait(self, js, what):
        for _ in range(300):
            if self.script(js):
                return
            time.sleep(0.1)
        raise SystemExit(f"timed out waiting for {what}")

    def shot(self, name):
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(png)
        print("wrote", name)

    def close(self):
        try:
            self.cmd("DELETE", "")
        finally:
            self.proc.kill()


def say(b, text):
    b.type("#text", text)
    b.click("#send-button")


def images_loaded(n):
    return f"const i = [...document.querySelectorAll('li.msg.bot img')]; return i.length >= {n} && i.every(x => x.complete && x.naturalWidth > 0);"


def scroll_to_last_image():
    return "const i = [...document.querySelectorAll('li.msg.bot img')].pop(); i.scrollIntoView({block: 'end'}); return true;"


def main(server):
    for lang, t in [("fr", {
        "card": '/carte "Léa" encourager "Ton exposé sur les volcans était génial!"',
        "class": "/classe « 5e année B »", "close": "/classe fermer", "pupil": "Noah", "pupil2": "Zoé",
        "card_png": "carte-fr.png", "class_png": "classe-fr.png", "badge_png": "badge-classe-fr.png",
        "count": "2 engagements", "locale": "fr-CA"}),
            ("en", {
        "card": '/card "Lea" encourage "Your volcano presentation was amazing!"',
        "class": '/class "Grade 5 B"', "close": "/class close", "pupil": "Noah", "pupil2": "Zoe",
        "card_png": "card-en.png", "class_png": "class-en.png", "badge_png": "class-badge-en.png",
        "count": "2 pledges", "locale": "en-CA"})]:
        b = Browser()
        try:
            b.goto(f"{server}/?lang={t['locale']}")
            say(b, t["card"])
            b.wait(images_loaded(1), "the card")
            b.script(scroll_to_last_image())
            b.shot(t["card_png"])
            b.goto(f"{server}/?lang={t['locale']}&fresh={lang}")
            b.type("#user-name", "Mme Tremblay" if lang == "fr" else "Ms. Tremblay")
            say(b, t["class"])
            b.wait("return document.querySelector('li.msg.bot .buttons button');", "the class button")
            for pupil in (t["pupil"], t["pupil2"]):
                b.type("#user-name", pupil)
                b.click("li.msg.bot .buttons button")
                time.sleep(0.5)
            b.wait(f"return document.body.innerText.includes({json.dumps(t['count'])});", "the counter")
            b.shot(t["class_png"])
            b.type("#user-name", "Mme Tremblay" if lang == "fr" else "Ms. Tremblay")
            say(b, t["close"])
            b.wait(images_loaded(1), "the class badge")
            b.script(scroll_to_last_image())
            time.sleep(0.3)
            b.shot(t["badge_png"])
        finally:
            b.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8099")
