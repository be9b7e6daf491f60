// The verification page, its script and the printable notices. Layer: disclosure api (see notice_pages.h).
#include "modules/disclosure/api/notice_pages.h"

#include <boost/json/parse.hpp>

#include "modules/disclosure/api/qr_svg.h"

namespace gz::disclosure {
namespace {

std::string RoleZh(std::string_view role) {
  if (role == "supervisor") return "村务监督委员会成员";
  if (role == "village_cadre") return "村民委员会成员";
  return std::string(role);
}

std::string BeijingTimeText(int64_t ms) {
  // "2026-04-03 08:00" in Beijing time (UTC+8, no daylight saving).
  std::string t = UtcTimeText(ms + 8 * 3'600'000);
  return t.substr(0, 10) + " " + t.substr(11, 5);
}

int64_t IntOf(const boost::json::value* v) { return v != nullptr && v->is_int64() ? v->get_int64() : 0; }
std::string StrOf(const boost::json::value* v) {
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The body as tables: finance rows, list rows, text.
std::string BodyHtml(const Item& item) {
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(item.body_json, ec);
  if (ec || !body.is_object()) return "";
  const boost::json::object& o = body.get_object();
  std::string out;
  const std::string text = StrOf(o.if_contains("text"));
  if (!text.empty()) out += "<p class=\"text\">" + HtmlEscape(text) + "</p>";
  if (const boost::json::value* rows = o.if_contains("rows"); rows != nullptr && rows->is_array()) {
    out += "<table><thead><tr><th>摘要</th><th>收入（元）</th><th>支出（元）</th></tr></thead><tbody>";
    for (const boost::json::value& r : rows->get_array()) {
      if (!r.is_object()) continue;
      const boost::json::object& row = r.get_object();
      const bool income = StrOf(row.if_contains("direction")) == "income";
      const std::string amount = YuanText(IntOf(row.if_contains("amount_fen")));
      out += "<tr><td>" + HtmlEscape(StrOf(row.if_contains("item"))) + "</td><td class=\"n\">" + (income ? amount : "") +
             "</td><td class=\"n\">" + (income ? "" : amount) + "</td></tr>";
    }
    out += "<tr class=\"total\"><td>合计</td><td class=\"n\">" + YuanText(IntOf(o.if_contains("total_income_fen"))) +
           "</td><td class=\"n\">" + YuanText(IntOf(o.if_contains("total_expense_fen"))) + "</td></tr></tbody></table>";
  }
  if (const boost::json::value* rs = o.if_contains("recipients"); rs != nullptr && rs->is_array()) {
    out += "<table><thead><tr><th>序号</th><th>姓名</th><th>身份证号</th><th>金额（元）</th><th>备注</th></tr></thead><tbody>";
    int n = 0;
    for (const boost::json::value& r : rs->get_array()) {
      if (!r.is_object()) continue;
      const boost::json::object& row = r.get_object();
      out += "<tr><td>" + std::to_string(++n) + "</td><td>" + HtmlEscape(StrOf(row.if_contains("name"))) + "</td><td>" +
             HtmlEscape(StrOf(row.if_contains("id_number"))) + "</td><td class=\"n\">" +
             YuanText(IntOf(row.if_contains("amount_fen"))) + "</td><td>" + HtmlEscape(StrOf(row.if_contains("note"))) +
             "</td></tr>";
    }
    out += "<tr class=\"total\"><td colspan=\"3\">合计</td><td class=\"n\">" + YuanText(IntOf(o.if_contains("total_fen"))) +
           "</td><td></td></tr></tbody></table>";
  }
  return out;
}

std::string CorrectionHtml(const PageItem& p) {
  std::string out;
  if (p.item.corrects != 0)
    out += "<p class=\"corr\">本条更正第 " + std::to_string(p.item.corrects) + " 号公开事项。更正理由：" +
           HtmlEscape(p.item.correction_reason) + "</p>";
  for (int64_t id : p.corrected_by)
    out += "<p class=\"corr\">本条已被第 <a href=\"/v/" + p.item.village + "/" + std::to_string(id) + "\">" +
           std::to_string(id) + "</a> 号公开事项更正（两条均保留公开）。</p>";
  return out;
}

std::string MetaHtml(const Item& i) {
  return "<p class=\"meta\">" + HtmlEscape(KindNameZh(i.kind)) + " · 期间 " + HtmlEscape(i.period) + " · 村代码 " + i.village +
         "<br>审核发布：" + RoleZh(i.publisher_role) + " · 发布时间 " + BeijingTimeText(i.published_at_ms) +
         "（北京时间）<br>透明日志序号 <b>" + std::to_string(i.log_index) + "</b> · 事项编号 " + std::to_string(i.id) + "</p>";
}

constexpr std::string_view kScreenStyle =
    "body{font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif;margin:0 auto;max-width:40em;padding:1em;"
    "line-height:1.6;color:#111}h1{font-size:1.3em}table{border-collapse:collapse;width:100%;margin:.5em 0}"
    "th,td{border:1px solid #999;padding:.2em .4em;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.total td{font-weight:bold}.meta{color:#444;font-size:.9em}.corr{background:#fff4d6;padding:.4em}"
    "#result{font-size:1.4em;font-weight:bold;padding:.5em;border-radius:.3em}#result.ok{background:#d9f7d9;color:#0a5d0a}"
    "#result.bad{background:#fde0e0;color:#8a0000}#result.wait{background:#eee}pre{white-space:pre-wrap;word-break:break-all;"
    "font-size:.75em;background:#f6f6f6;padding:.5em}";

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string YuanText(int64_t fen) {
  const bool negative = fen < 0;
  uint64_t v = negative ? static_cast<uint64_t>(-(fen + 1)) + 1 : static_cast<uint64_t>(fen);
  std::string yuan = std::to_string(v / 100);
  std::string grouped;
  for (size_t i = 0; i < yuan.size(); ++i) {
    if (i > 0 && (yuan.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(yuan[i]);
  }
  const unsigned cents = static_cast<unsigned>(v % 100);
  return (negative ? "-" : "") + grouped + "." + std::to_string(cents / 10) + std::to_string(cents % 10);
}

std::string RenderVerifyPage(const PageItem& p) {
  const Item& i = p.item;
  std::string html = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>核验：" +
                     HtmlEscape(i.title) + "</title><style>" + std::string(kScreenStyle) + "</style></head><body>";
  html += "<h1>" + HtmlEscape(i.title) + "</h1>";
  html += "<div id=\"result\" class=\"wait\" data-index=\"" + std::to_string(i.log_index) + "\" data-entry=\"/api/v1/disclosure/items/" +
          std::to_string(i.id) + "/entry\">正在核验… / Verifying…</div>";
  html += "<p id=\"detail\" class=\"meta\"></p>";
  html += MetaHtml(i) + CorrectionHtml(p) + BodyHtml(i);
  if (!i.attachments.empty()) {
    html += "<p class=\"meta\">附件 SHA-256：</p><pre>";
    for (const std::string& h : i.attachments) html += HtmlEscape(h) + "\n";
    html += "</pre>";
  }
  html += "<p class=\"meta\">本页在您的手机上重新计算该事项在透明日志中的默克尔包含证明（RFC 9162），并核对日志检查点的 Ed25519 签名，不需要信任村、乡镇或本网站。"
          "This page recomputes the item's Merkle inclusion proof in your browser and checks the log checkpoint's Ed25519 signature.</p>";
  html += "<details><summary>日志条目原文 / Log entry</summary><pre>" + HtmlEscape(i.entry) + "</pre></details>";
  html += "<script src=\"/v/verify.js\"></script></body></html>";
  return html;
}

std::string_view VerifyScript() {
  // No build step, no library: fetch the entry and its inclusion proof, recompute the leaf hash
  // SHA-256(0x00 || entry) and the root per RFC 9162 section 2.1.3.2, compare.
  static constexpr std::string_view kScript = R"js('use strict';
(function () {
  var box = document.getElementById('result');
  var detail = document.getElementById('detail');
  function say(ok, zh, en, more) {
    box.className = ok ? 'ok' : 'bad';
    box.textContent = (ok ? '✔ ' : '✘ ') + zh + ' / ' + en;
    if (more) detail.textContent = more;
  }
  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function cat(a, b, c) {
    var out = new Uint8Array(a.length + b.length + (c ? c.length : 0));
    out.set(a, 0); out.set(b, a.length); if (c) out.set(c, a.length + b.length);
    return out;
  }
  function sha(bytes) {
    return crypto.subtle.digest('SHA-256', bytes).then(function (d) { return new Uint8Array(d); });
  }
  function same(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function verify() {
    if (!window.crypto || !crypto.subtle) { say(false, '浏览器不支持核验（需要 HTTPS）', 'this browser cannot verify (HTTPS needed)'); return; }
    var index = BigInt(box.dataset.index);
    var entryRes = await fetch(box.dataset.entry, { cache: 'no-store' });
    if (!entryRes.ok) { say(false, '验证失败：取不到日志条目', 'verification failed: entry unavailable'); return; }
    var entry = new Uint8Array(await entryRes.arrayBuffer());
    var proofRes = await fetch('/api/v1/tlog/inclusion?index=' + index.toString(), { cache: 'no-store' });
    if (!proofRes.ok) {
      // A problem+json answer: tlog/not-included-yet means "wait for the next checkpoint", not a failure.
      var p = null; try { p = await proofRes.json(); } catch (e) {}
      if (p && typeof p.type === 'string' && p.type.indexOf('not-included-yet') >= 0) {
        box.className = 'wait'; box.textContent = '日志尚未签署包含本条的检查点，请稍后再试 / not in a signed checkpoint yet';
        return;
      }
    }
    if (!proofRes.ok) { say(false, '验证失败：取不到包含证明', 'verification failed: no inclusion proof'); return; }
    var proof = await proofRes.json();
    var size = BigInt(proof.tree_size);
    if (BigInt(proof.index) !== index || index >= size) { say(false, '验证失败：证明与本条不符', 'verification failed: proof does not match'); return; }
    var leaf = await sha(cat(new Uint8Array([0]), entry));
    if (proof.leaf_hash && !same(leaf, b64(proof.leaf_hash))) { say(false, '验证失败：内容与日志不一致', 'verification failed: content differs from the log'); return; }
    var fn = index, sn = size - 1n, r = leaf, one = new Uint8Array([1]);
    for (var k = 0; k < proof.proof.length; k++) {
      var p2 = b64(proof.proof[k]);
      if (sn === 0n) { say(false, '验证失败：证明过长', 'verification failed: proof too long'); return; }
      if ((fn & 1n) === 1n || fn === sn) {
        r = await sha(cat(one, p2, r));
        if ((fn & 1n) === 0n) { while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; } }
      } else {
        r = await sha(cat(one, r, p2));
      }
      fn >>= 1n; sn >>= 1n;
    }
    if (sn !== 0n || !same(r, b64(proof.root_hash))) { say(false, '验证失败：根哈希不一致', 'verification failed: root hash mismatch'); return; }
    var sig = await checkSignature(proof);
    if (sig.ok === false) { say(false, '验证失败：' + sig.zh, 'verification failed: ' + sig.en); return; }
    var facts = '日志序号 ' + index.toString() + ' · 树大小 ' + size.toString() + ' · 根哈希 ' + proof.root_hash;
    if (sig.ok === true) {
      say(true, '已验证：本条已收录于透明日志，内容未被改动，日志签名有效', 'verified: included in the signed transparency log, unaltered',
          facts + ' · 签名公钥 / verifier key ' + sig.key);
    } else {
      // Inclusion holds; only the signature could not be checked here (an older browser).
      say(true, '已验证：本条已收录于透明日志，内容未被改动', 'verified: included in the transparency log, unaltered',
          facts + ' · ' + sig.zh + ' / ' + sig.en);
    }
  }
  // The checkpoint the proof leads to must be signed by the log's key (C2SP signed note, Ed25519):
  // the root above is then the one the log committed to, not one a server made up for this page.
  // Answers {ok: true, key}, {ok: false, zh, en} (a wrong or missing signature: a failure), or
  // {ok: null, zh, en} (this browser has no Ed25519; inclusion alone was checked).
  async function checkSignature(proof) {
    if (!proof.checkpoint) return { ok: false, zh: '该大小没有签名检查点', en: 'no signed checkpoint for this tree size' };
    var keyRes = await fetch('/tlog/verifier-key', { cache: 'no-store' });
    if (!keyRes.ok) return { ok: false, zh: '取不到日志公钥', en: 'the verifier key is unavailable' };
    var vkey = (await keyRes.text()).trim();
    // name+hash+base64 key: the name has no '+', but the base64 key data may.
    var p1 = vkey.indexOf('+'), p2 = p1 < 0 ? -1 : vkey.indexOf('+', p1 + 1);
    var parts = p2 < 0 ? [] : [vkey.slice(0, p1), vkey.slice(p1 + 1, p2), vkey.slice(p2 + 1)];
    var raw = parts.length === 3 ? b64(parts[2]) : new Uint8Array(0);
    if (raw.length !== 33 || raw[0] !== 1 || !/^[0-9a-f]{8}$/.test(parts[1])) return { ok: false, zh: '日志公钥格式不对', en: 'malformed verifier key' };
    var name = parts[0], note = String(proof.checkpoint), cut = note.lastIndexOf('\n\n');
    if (cut < 0) return { ok: false, zh: '检查点格式不对', en: 'malformed checkpoint' };
    var text = note.slice(0, cut + 1), lines = text.split('\n');
    if (lines[1] !== String(proof.tree_size) || lines[2] !== proof.root_hash) return { ok: false, zh: '检查点与证明不符', en: 'the checkpoint does not match the proof' };
    var signature = null, prefix = '\u2014 ' + name + ' ';
    note.slice(cut + 2).split('\n').forEach(function (line) {
      if (signature || line.indexOf(prefix) !== 0) return;
      var bytes = b64(line.slice(prefix.length));
      var hash = Array.prototype.map.call(bytes.slice(0, 4), function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
      if (bytes.length === 68 && hash === parts[1]) signature = bytes.slice(4);
    });
    if (!signature) return { ok: false, zh: '检查点没有该日志公钥的签名', en: 'the checkpoint has no signature by the log key' };
    var key;
    try {
      key = await crypto.subtle.importKey('raw', raw.slice(1), { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      return { ok: null, zh: '本浏览器不能核对 Ed25519 签名', en: 'this browser cannot check Ed25519 signatures' };
    }
    var good = await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, new TextEncoder().encode(text));
    return good ? { ok: true, key: vkey } : { ok: false, zh: '检查点签名无效', en: 'the checkpoint signature is invalid' };
  }
  verify().catch(function (e) { say(false, '验证失败', 'verification failed', String(e)); });
})();
)js";
  return kScript;
}

std::string RenderNotice(const std::vector<PageItem>& items, std::string_view paper, std::string_view heading,
                         std::string_view verifier_key) {
  const bool a3 = paper == "A3";
  std::string html = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>村务公开" +
                     (heading.empty() ? std::string() : " " + HtmlEscape(heading)) + "</title><style>";
  html += std::string("@page{size:") + (a3 ? "A3" : "A4") + " portrait;margin:15mm}";
  html += "body{font-family:'Noto Serif CJK SC','Source Han Serif SC',serif;font-size:" + std::string(a3 ? "14pt" : "11pt") +
          ";color:#000;margin:0}h1{text-align:center;font-size:1.6em;margin:.2em 0}h2{font-size:1.2em;margin:.4em 0}"
          "table{border-collapse:collapse;width:100%;margin:.4em 0}th,td{border:1px solid #000;padding:1mm 2mm}"
          "td.n{text-align:right}tr.total td{font-weight:bold}.meta{font-size:.85em}.corr{border:1px dashed #000;padding:1mm}"
          "section{page-break-inside:avoid;break-inside:avoid;border-top:2px solid #000;padding-top:3mm;margin-top:5mm}"
          ".qrbox{float:right;text-align:center;font-size:.75em;margin-left:4mm}.qrbox svg{display:block}"
          "@media screen{body{max-width:" + std::string(a3 ? "297mm" : "210mm") + ";margin:1em auto;padding:0 1em}}"
          "</style></head><body>";
  html += "<h1>村务公开栏" + (heading.empty() ? std::string() : "（" + HtmlEscape(heading) + "）") + "</h1>";
  if (items.empty()) html += "<p>本月没有发布的公开事项。</p>";
  for (const PageItem& p : items) {
    html += "<section><div class=\"qrbox\">" + QrSvg(p.verify_url, a3 ? 40 : 30) + "扫码核验<br>日志序号 " +
            std::to_string(p.item.log_index) + "</div>";
    html += "<h2>" + HtmlEscape(p.item.title) + "</h2>" + MetaHtml(p.item) + CorrectionHtml(p) + BodyHtml(p.item);
    html += "<p class=\"meta\">核验网址：" + HtmlEscape(p.verify_url) + "</p></section>";
  }
  if (!verifier_key.empty()) {
    html += "<p class=\"meta\">透明日志公钥（核验页显示的公钥应与此一致）：<br><code>" + HtmlEscape(verifier_key) + "</code></p>";
  }
  html += "</body></html>";
  return html;
}

}  // namespace gz::disclosure
