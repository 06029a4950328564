// Reads GIFT text on stdin and prints gift-pegjs's parse of it as JSON on stdout.
// A syntax error is printed as {"error": {...}} with its location, and exits 1.
"use strict";
const { parse, SyntaxError } = require("gift-pegjs");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  try {
    process.stdout.write(JSON.stringify(parse(input)));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    process.stdout.write(JSON.stringify({ error: { message: err.message, location: err.location } }));
    process.exitCode = 1;
  }
});
