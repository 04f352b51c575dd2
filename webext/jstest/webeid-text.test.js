// The content script's Web eID failure texts say what eidbridge's Web eID
// native host says (nmhost/i18n): one wording for the citizen, whichever
// way a Web eID site reaches eidbridge.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const read = (path) => readFileSync(new URL(path, import.meta.url), "utf8");

test("every text the native host also has is word for word the same, in every language", () => {
  const texts = vm.runInNewContext(read("../extension/webeid-text.js") + ";WEBEID_TEXT");
  for (const lang of ["nl", "fr", "de", "en"]) {
    const host = JSON.parse(read(`../../nmhost/i18n/${lang}.json`));
    const shared = Object.keys(texts[lang]).filter((k) => k in host);
    assert.ok(shared.length >= 10, `${lang}: only ${shared.length} texts in common`);
    for (const key of shared) assert.equal(texts[lang][key], host[key], `${lang} ${key}`);
  }
});
