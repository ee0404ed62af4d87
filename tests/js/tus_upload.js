// Uploads one file with tus-js-client, unmodified, as a partner's Node program would.
// usage: node tus_upload.js ENDPOINT FILE PARALLEL   (X-API-Key from HPX_API_KEY;
// the appliance's certificate from NODE_EXTRA_CA_CERTS). Prints the upload's URL.
"use strict";
const fs = require("fs");
const path = require("path");
const tus = require("tus-js-client");

const [endpoint, file, parallel] = process.argv.slice(2);
const data = fs.readFileSync(file);
const headers = process.env.HPX_API_KEY ? { "X-API-Key": process.env.HPX_API_KEY } : {};
const upload = new tus.Upload(data, {
  endpoint,
  headers,
  parallelUploads: Number(parallel),
  metadata: { filename: path.basename(file), filetype: "application/octet-stream" },
  retryDelays: [0, 500, 1000],
  onError: (error) => {
    console.error(String(error));
    process.exit(1);
  },
  onSuccess: () => console.log(upload.url),
});
upload.start();
