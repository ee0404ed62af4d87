// The drop-link page: each dropped file goes up as a tus upload (tus-js-client, shipped
// beside this file), with per-file progress. A dropped connection is retried from the
// offset the server confirms; a reload of the page resumes files dropped again.
// Showing the page opens nothing (link scanners fetch it too): the first file the
// person gives it opens the link for this browser, before any upload starts.
// A folder (dropped, or chosen with "a folder") sends every file in it, each with its
// path inside the folder ("tree/2024/labs.csv") as the upload's "path" metadata: the
// appliance records it beside the file, so two labs.csv of different years stay apart.
"use strict";

(function () {
  const page = document.body.dataset;
  const chunkSize = Number(page.chunkSize);
  const list = document.getElementById("files");
  const summary = document.getElementById("summary");
  const finish = document.getElementById("finish");
  const drop = document.getElementById("drop");
  const picker = document.getElementById("picker");
  const folderPicker = document.getElementById("folder-picker");
  let running = 0;
  let received = 0;
  let closed = false;
  let opening = null;

  function human(bytes) {
    const units = ["B", "KB", "MB", "GB", "TB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit += 1;
    }
    return (unit === 0 ? value : value.toFixed(1)) + " " + units[unit];
  }

  function serverMessage(error) {
    const response = error.originalResponse;
    if (response) {
      try {
        return JSON.parse(response.getBody()).message;
      } catch (_) {
        return "the server answered " + response.getStatus();
      }
    }
    return "the connection failed";
  }

  // The link, opened for this browser once (the server sets its session cookie); every
  // file waits for it. A failure is shown on the files and tried again with the next.
  function opened() {
    if (opening === null) {
      opening = fetch(page.openUrl, { method: "POST", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.message || "the server answered " + response.status);
          });
        });
      opening.catch(function () {
        opening = null;
      });
    }
    return opening;
  }

  function update() {
    finish.disabled = closed || running > 0 || received === 0;
    summary.textContent = running > 0
      ? running + " sending, " + received + " received"
      : received + " received";
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // file: a File; path: where it was in a folder given ("" for a file given alone).
  function send(file, path) {
    const item = element("li", "file sending");
    const name = element("span", "name", path || file.name);
    const bar = element("progress");
    bar.max = Math.max(file.size, 1);
    bar.value = 0;
    const status = element("span", "status", "waiting");
    item.append(name, bar, status);
    list.append(item);
    running += 1;
    update();

    const upload = new tus.Upload(file, {
      endpoint: page.createUrl,
      chunkSize: chunkSize,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
      removeFingerprintOnSuccess: true,
      metadata: Object.assign(
        { filename: file.name, filetype: file.type || "application/octet-stream" },
        path ? { path: path } : {},
      ),
      // tus-js-client's own fingerprint, with the path: two labs.csv of one size and
      // time in different folders are two uploads, never one resumed as the other.
      fingerprint: function (f, options) {
        return Promise.resolve(
          ["hpx-drop", path || f.name, f.type, f.size, f.lastModified, options.endpoint].join("-"),
        );
      },
      onProgress: function (sent, total) {
        bar.max = Math.max(total, 1);
        bar.value = sent;
        status.textContent = human(sent) + " of " + human(total);
      },
      onShouldRetry: function (error, attempt, options) {
        const code = error.originalResponse ? error.originalResponse.getStatus() : 0;
        const retry = code === 0 || code === 409 || code === 423 || code >= 500;
        if (retry) status.textContent = "connection lost; resuming…";
        return retry;
      },
      onSuccess: function () {
        bar.value = bar.max;
        item.className = "file done";
        status.textContent = human(file.size) + ", received";
        running -= 1;
        received += 1;
        update();
      },
      onError: function (error) {
        item.className = "file failed";
        status.textContent = "not sent: " + serverMessage(error);
        running -= 1;
        update();
      },
    });
    opened()
      .then(function () {
        return upload.findPreviousUploads();
      })
      .then(
        function (previous) {
          if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
          status.textContent = "sending";
          upload.start();
        },
        function (error) {
          item.className = "file failed";
          status.textContent = "not sent: " + error.message;
          running -= 1;
          update();
        },
      );
  }

  // files: [File, path] pairs.
  function sendAll(files) {
    if (closed) return;
    for (const [file, path] of files) send(file, path);
  }

  // A file chosen with the folder picker knows its path inside the folder.
  function withPaths(files) {
    return Array.from(files).map(function (file) {
      const path = file.webkitRelativePath || "";
      return [file, path.includes("/") ? path : ""];
    });
  }

  // Every file under a dropped entry (a file, or a folder walked to the bottom), with
  // its path: the folder's name first, as the person saw it.
  function walk(entry) {
    if (entry.isFile) {
      return new Promise(function (resolve, reject) {
        entry.file(resolve, reject);
      }).then(function (file) {
        const path = entry.fullPath.replace(/^\/+/, "");
        return [[file, path.includes("/") ? path : ""]];
      });
    }
    const reader = entry.createReader();
    const children = [];
    // readEntries gives a batch at a time (100 in Chromium) until an empty one.
    function more() {
      return new Promise(function (resolve, reject) {
        reader.readEntries(resolve, reject);
      }).then(function (batch) {
        if (batch.length === 0) return children;
        children.push(...batch);
        return more();
      });
    }
    return more()
      .then(function (all) {
        all.sort(function (a, b) {
          return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
        });
        return Promise.all(all.map(walk));
      })
      .then(function (lists) {
        return lists.flat();
      });
  }

  function showReceipt(files) {
    const rows = document.getElementById("received");
    for (const file of files) {
      const row = element("tr");
      row.append(
        element("td", "name", file.path || file.filename),
        element("td", "size", human(file.size)),
        element("td", "sha256", file.sha256),
      );
      rows.append(row);
    }
    document.getElementById("receipt").hidden = false;
    drop.hidden = true;
    finish.hidden = true;
  }

  finish.addEventListener("click", function () {
    finish.disabled = true;
    fetch(page.doneUrl, { method: "POST", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.message || "the server answered " + response.status);
          closed = true;
          showReceipt(body.files);
        });
      })
      .catch(function (error) {
        summary.textContent = "Could not close the link: " + error.message;
        update();
      });
  });

  picker.addEventListener("change", function () {
    sendAll(withPaths(picker.files));
    picker.value = "";
  });
  folderPicker.addEventListener("change", function () {
    sendAll(withPaths(folderPicker.files));
    folderPicker.value = "";
  });
  drop.addEventListener("dragover", function (event) {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", function () {
    drop.classList.remove("over");
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    drop.classList.remove("over");
    // Entries must be taken during the event: the list is emptied once it returns.
    const items = Array.from(event.dataTransfer.items || []).filter(function (item) {
      return item.kind === "file";
    });
    const entries = items.map(function (item) {
      return item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    });
    if (entries.length === 0 || entries.includes(null)) {
      sendAll(withPaths(event.dataTransfer.files)); // a browser without entries
      return;
    }
    Promise.all(entries.map(walk)).then(
      function (lists) {
        sendAll(lists.flat());
      },
      function (error) {
        summary.textContent = "Could not read the folder: " + error.message;
      },
    );
  });
  update();
})();
