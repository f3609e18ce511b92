#!/usr/bin/env node
// An independent verifier of `weiquan export` output, written from docs/protocol.md and
// sync/proto/weiquan/v1/weiquan.proto alone. It trusts nothing but the anchor public key and the
// signed bodies, and uses only Node.js built-ins (node:crypto for Ed25519; BLAKE2b-256 and the
// Protobuf wire-format reader are implemented here).
//
//   node verify-export.mjs --anchor <64 hex digits> <export.jsonl>
//       prints "ok: N certificates, M tickets, K events" and exits 0, or prints the first broken
//       line ("broken: line L: certificate of <node>: ..." or
//       "broken: line L: event <ticket> seq <seq>: ...") and exits 1. Usage errors exit 2.
//   node verify-export.mjs --self-test
//       checks the primitives against RFC 7693 vectors and the worked example of protocol.md §8.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------------
// BLAKE2b-256 (RFC 7693): no key, salt or personalisation, 32-byte digest.

const MASK64 = (1n << 64n) - 1n;
const B2B_IV = [
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
];
const B2B_SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

const rotr64 = (x, n) => ((x >> n) | (x << (64n - n))) & MASK64;

function b2bCompress(h, block, counter, last) {
  const v = [...h, ...B2B_IV];
  v[12] ^= counter & MASK64;
  v[13] ^= counter >> 64n;
  if (last) v[14] ^= MASK64;
  const m = new Array(16);
  for (let i = 0; i < 16; i++) m[i] = block.readBigUInt64LE(i * 8);
  const g = (a, b, c, d, x, y) => {
    v[a] = (v[a] + v[b] + x) & MASK64;
    v[d] = rotr64(v[d] ^ v[a], 32n);
    v[c] = (v[c] + v[d]) & MASK64;
    v[b] = rotr64(v[b] ^ v[c], 24n);
    v[a] = (v[a] + v[b] + y) & MASK64;
    v[d] = rotr64(v[d] ^ v[a], 16n);
    v[c] = (v[c] + v[d]) & MASK64;
    v[b] = rotr64(v[b] ^ v[c], 63n);
  };
  for (let round = 0; round < 12; round++) {
    const s = B2B_SIGMA[round % 10];
    g(0, 4, 8, 12, m[s[0]], m[s[1]]);
    g(1, 5, 9, 13, m[s[2]], m[s[3]]);
    g(2, 6, 10, 14, m[s[4]], m[s[5]]);
    g(3, 7, 11, 15, m[s[6]], m[s[7]]);
    g(0, 5, 10, 15, m[s[8]], m[s[9]]);
    g(1, 6, 11, 12, m[s[10]], m[s[11]]);
    g(2, 7, 8, 13, m[s[12]], m[s[13]]);
    g(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
}

// BLAKE2b with an `outLen`-byte digest (the digest length is part of the parameter block).
function blake2b(data, outLen) {
  const h = [...B2B_IV];
  h[0] ^= 0x01010000n ^ BigInt(outLen);  // depth 1, fanout 1, no key, digest length
  let offset = 0;
  while (data.length - offset > 128) {
    b2bCompress(h, data.subarray(offset, offset + 128), BigInt(offset + 128), false);
    offset += 128;
  }
  const last = Buffer.alloc(128);
  data.copy(last, 0, offset);
  b2bCompress(h, last, BigInt(data.length), true);
  const out = Buffer.alloc(64);
  for (let i = 0; i < 8; i++) out.writeBigUInt64LE(h[i], i * 8);
  return out.subarray(0, outLen);
}

export const blake2b256 = (data) => blake2b(data, 32);

// ---------------------------------------------------------------------------------------------
// Ed25519 (protocol.md §1): node:crypto verifies the equation; the checks libsodium's
// crypto_sign_verify_detached makes before that are made here: S < L, a canonical public key
// that is not of small order, and an R that is not of small order.

const P = (1n << 255n) - 19n;
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const modp = (x) => ((x % P) + P) % P;
function powmod(base, exp) {
  let result = 1n;
  let b = modp(base);
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}
const inv = (x) => powmod(x, P - 2n);
const D = modp(-121665n * inv(121666n));
const SQRT_M1 = powmod(2n, (P - 1n) / 4n);

const leInt = (bytes) => {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  return x;
};

// Decodes a point encoding; null when it is not on the curve or y is not below p.
function decodePoint(enc) {
  const y = leInt(enc) & ((1n << 255n) - 1n);
  const sign = enc[31] >> 7;
  if (y >= P) return null;
  const y2 = (y * y) % P;
  const u = modp(y2 - 1n);
  const v = modp(D * y2 + 1n);
  // x = u v^3 (u v^7)^((p-5)/8)
  const v3 = (v * v % P) * v % P;
  let x = (u * v3 % P) * powmod(u * (v3 * v3 % P) * v % P, (P - 5n) / 8n) % P;
  const vx2 = v * (x * x % P) % P;
  if (vx2 === u) {
    // x is a root
  } else if (vx2 === modp(-u)) {
    x = x * SQRT_M1 % P;
  } else {
    return null;
  }
  if (x === 0n && sign === 1) return null;
  if (Number(x & 1n) !== sign) x = P - x;
  return { x, y };
}

function edAdd(a, b) {
  const t = D * (a.x * b.x % P) % P * (a.y * b.y % P) % P;
  return {
    x: modp((a.x * b.y + a.y * b.x) * inv(1n + t)),
    y: modp((a.y * b.y + a.x * b.x) * inv(modp(1n - t))),
  };
}

function hasSmallOrder(pt) {
  let q = pt;
  for (let i = 0; i < 3; i++) q = edAdd(q, q);
  return q.x === 0n && q.y === 1n;
}

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

// Returns null when the signature verifies, else the reason.
export function ed25519Refusal(publicKey, message, signature) {
  if (publicKey.length !== 32) return 'public key is not 32 bytes';
  if (signature.length !== 64) return 'signature is not 64 bytes';
  if (leInt(signature.subarray(32)) >= L) return 'non-canonical signature (S >= L)';
  const a = decodePoint(publicKey);
  if (a === null) return 'public key is not a canonical curve point';
  if (hasSmallOrder(a)) return 'public key of small order';
  const r = decodePoint(signature.subarray(0, 32));
  if (r !== null && hasSmallOrder(r)) return 'signature R of small order';
  let ok = false;
  try {
    const key = crypto.createPublicKey({
      key: Buffer.concat([SPKI_ED25519, publicKey]),
      format: 'der',
      type: 'spki',
    });
    ok = crypto.verify(null, message, key, signature);
  } catch {
    ok = false;
  }
  return ok ? null : 'bad signature';
}

const signingInput = (tag, body) => Buffer.concat([Buffer.from(tag, 'ascii'), Buffer.of(0), body]);
const TAG_CERTIFICATE = 'weiquan/v1/certificate';
const TAG_REVOCATION = 'weiquan/v1/revocation';
const TAG_EVENT = 'weiquan/v1/event';

// ---------------------------------------------------------------------------------------------
// Protobuf: the schema of weiquan.proto and a strict wire-format reader (protocol.md §2 "Decoding
// rules"): proto3 wire format, UTF-8 strings, no field number or enum value the schema does not
// define at any depth.

const ENUMS = {
  Level: 5,  // highest defined value; every enum is 0..max
  TicketType: 4,
  Channel: 7,
  Role: 7,
  AssigneeKind: 4,
  TransferDirection: 3,
  Party: 4,
  Satisfaction: 4,
};

// field number -> [name, type, flags]; type is a scalar name, 'enum:X' or 'msg:X'.
const MESSAGES = {
  CertificateBody: {
    1: ['version', 'uint32'], 2: ['node_id', 'string'], 3: ['level', 'enum:Level'],
    4: ['region', 'string'], 5: ['sign_key', 'bytes'], 6: ['box_key', 'bytes'],
    7: ['not_before_ms', 'int64'], 8: ['not_after_ms', 'int64'], 9: ['serial', 'uint64'],
    10: ['issuer', 'string'],
  },
  RevocationBody: {
    1: ['version', 'uint32'], 2: ['issuer', 'string'], 3: ['node_id', 'string'],
    4: ['serial', 'uint64'], 5: ['revoked_at_ms', 'int64'], 6: ['reason', 'string'],
  },
  Actor: { 1: ['role', 'enum:Role'], 2: ['id', 'string'], 3: ['name', 'string'] },
  SealedFor: { 1: ['node_id', 'string'], 2: ['box', 'bytes'] },
  Business: {
    1: ['name', 'string'], 2: ['uscc', 'string'], 3: ['region', 'string'], 4: ['address', 'string'],
  },
  Submitted: {
    1: ['type', 'enum:TicketType'], 2: ['channel', 'enum:Channel'], 3: ['received_at_ms', 'int64'],
    4: ['rule_version', 'string'], 5: ['jurisdiction_region', 'string'],
    6: ['business', 'msg:Business'], 7: ['category', 'string'], 8: ['brand', 'string'],
    9: ['purchased_at_ms', 'int64'], 10: ['purchase_place', 'string'], 11: ['amount_fen', 'int64'],
    12: ['description', 'string'], 13: ['demands', 'string'], 14: ['violation_category', 'string'],
    15: ['consent_disclosure', 'bool'], 16: ['consent_mediation', 'bool'],
    17: ['anonymous', 'bool'], 18: ['personal', 'msg:SealedFor', 'repeated'],
  },
  Routed: { 1: ['to_node', 'string'], 2: ['region', 'string'], 3: ['reason', 'string'] },
  Received: {},
  Accepted: { 1: ['note', 'string'] },
  Refused: { 1: ['ground', 'string'], 2: ['explanation', 'string'] },
  Assigned: {
    1: ['kind', 'enum:AssigneeKind'], 2: ['assignee', 'string'], 3: ['note', 'string'],
    4: ['personal', 'msg:SealedFor', 'repeated'],
  },
  Transferred: {
    1: ['direction', 'enum:TransferDirection'], 2: ['to_node', 'string'], 3: ['reason', 'string'],
    4: ['personal', 'msg:SealedFor', 'repeated'],
  },
  MediationMessage: { 1: ['from', 'enum:Party'], 2: ['text', 'string'] },
  EvidenceAdded: {
    1: ['content_hash', 'bytes'], 2: ['media_type', 'string'], 3: ['size', 'uint64'],
    4: ['filename', 'string'],
  },
  ExtensionRequested: { 1: ['clock', 'string'], 2: ['days', 'uint32'], 3: ['reason', 'string'] },
  ExtensionDecided: {
    1: ['clock', 'string'], 2: ['approved', 'bool'], 3: ['days', 'uint32'], 4: ['note', 'string'],
  },
  InitialFeedback: { 1: ['text', 'string'] },
  MediationResult: { 1: ['agreement', 'bool'], 2: ['text', 'string'] },
  ConvertedToCase: { 1: ['case_number', 'string'] },
  Closed: { 1: ['result', 'string'], 2: ['amount_recovered_fen', 'int64'], 3: ['text', 'string'] },
  Reopened: { 1: ['reason', 'string'] },
  Visited: { 1: ['satisfaction', 'enum:Satisfaction'], 2: ['note', 'string'] },
  Urged: { 1: ['from_node', 'string'], 2: ['note', 'string'] },
  Supervised: { 1: ['from_node', 'string'], 2: ['note', 'string'] },
  Merged: { 1: ['into_ticket', 'string'] },
  TypeChanged: { 1: ['to', 'enum:TicketType'], 2: ['reason', 'string'] },
  ClockPaused: { 1: ['reason', 'string'] },
  ClockResumed: {},
  EventBody: {
    1: ['version', 'uint32'], 2: ['ticket_id', 'string'], 3: ['seq', 'uint64'],
    4: ['prev_hash', 'bytes'], 5: ['author', 'string'], 6: ['actor', 'msg:Actor'],
    7: ['time_ms', 'int64'],
  },
};
const EVENT_KINDS = [
  'submitted:Submitted', 'routed:Routed', 'received:Received', 'accepted:Accepted',
  'refused:Refused', 'assigned:Assigned', 'transferred:Transferred', 'message:MediationMessage',
  'evidence_added:EvidenceAdded', 'extension_requested:ExtensionRequested',
  'extension_decided:ExtensionDecided', 'initial_feedback:InitialFeedback',
  'mediation_result:MediationResult', 'converted_to_case:ConvertedToCase', 'closed:Closed',
  'reopened:Reopened', 'visited:Visited', 'urged:Urged', 'supervised:Supervised',
  'merged:Merged', 'type_changed:TypeChanged', 'clock_paused:ClockPaused',
  'clock_resumed:ClockResumed',
];
EVENT_KINDS.forEach((entry, i) => {
  const [name, type] = entry.split(':');
  MESSAGES.EventBody[20 + i] = [name, `msg:${type}`, 'oneof:kind'];
});

class DecodeError extends Error {}

// Wire types. No field of the schema is fixed32, fixed64, packed or a group, so wire types 1, 3, 4
// and 5 never belong to a defined field and are refused like undefined field numbers.
const WIRE_VARINT = 0;
const WIRE_LEN = 2;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class Reader {
  constructor(buf) {
    this.buf = buf;
    this.pos = 0;
  }
  done() {
    return this.pos >= this.buf.length;
  }
  varint() {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new DecodeError('truncated varint');
      const byte = this.buf[this.pos++];
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      // protocol.md §2: bits beyond the 64th (in a 10th byte) are discarded, as Protobuf does.
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, value);
    }
    throw new DecodeError('varint longer than 10 bytes');
  }
  take(n) {
    if (n > this.buf.length - this.pos) throw new DecodeError('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  lengthDelimited() {
    const n = this.varint();
    if (n > BigInt(this.buf.length - this.pos)) throw new DecodeError('length beyond the end');
    return this.take(Number(n));
  }
}

function defaultOf(type) {
  if (type === 'string') return '';
  if (type === 'bytes') return Buffer.alloc(0);
  if (type === 'bool') return false;
  if (type.startsWith('enum:')) return 0;
  if (type.startsWith('msg:')) return undefined;  // absent
  return 0n;  // uint32, uint64, int64
}

function wireTypeOf(type) {
  if (type === 'string' || type === 'bytes' || type.startsWith('msg:')) return WIRE_LEN;
  return WIRE_VARINT;  // uint32, uint64, int64, bool and enums
}

function newMessage(name) {
  const msg = {};
  for (const [field, type, flags] of Object.values(MESSAGES[name])) {
    if (flags === 'repeated') msg[field] = [];
    else if (!flags) msg[field] = defaultOf(type);
  }
  return msg;
}

// Parses `buf` as message `name`, merging into `msg` as Protobuf does for repeated occurrences of
// a singular message field.
export function decode(name, buf, msg = newMessage(name), depth = 0) {
  if (depth > 64) throw new DecodeError('nesting too deep');
  const schema = MESSAGES[name];
  const r = new Reader(buf);
  while (!r.done()) {
    const tag = r.varint();
    if (tag > 0xffffffffn) throw new DecodeError('tag longer than 32 bits');
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (number === 0) throw new DecodeError('field number 0');
    const field = schema[number];
    if (field === undefined) {
      throw new DecodeError(`field ${number} is not defined in ${name}`);
    }
    const [fname, type, flags] = field;
    if (wire !== wireTypeOf(type)) {
      throw new DecodeError(`field ${number} of ${name} has wire type ${wire}`);
    }
    if (type.startsWith('msg:')) {
      const sub = type.slice(4);
      const bytes = r.lengthDelimited();
      if (flags === 'repeated') {
        msg[fname].push(decode(sub, bytes, undefined, depth + 1));
      } else if (flags && flags.startsWith('oneof:')) {
        const group = `$${flags.slice(6)}`;
        if (msg[group] !== fname) {
          if (msg[group] !== undefined) delete msg[msg[group]];
          msg[group] = fname;
          msg[fname] = undefined;
        }
        msg[fname] = decode(sub, bytes, msg[fname], depth + 1);
      } else {
        msg[fname] = decode(sub, bytes, msg[fname], depth + 1);
      }
      continue;
    }
    if (type === 'string') {
      try {
        msg[fname] = utf8.decode(r.lengthDelimited());
      } catch (e) {
        if (e instanceof DecodeError) throw e;
        throw new DecodeError(`field ${number} of ${name} is not UTF-8`);
      }
      continue;
    }
    if (type === 'bytes') {
      msg[fname] = Buffer.from(r.lengthDelimited());
      continue;
    }
    const raw = r.varint();
    if (type === 'uint32') msg[fname] = raw & 0xffffffffn;
    else if (type === 'uint64') msg[fname] = raw;
    else if (type === 'int64') msg[fname] = BigInt.asIntN(64, raw);
    else if (type === 'bool') msg[fname] = raw !== 0n;
    else if (type.startsWith('enum:')) {
      const value = Number(BigInt.asIntN(32, raw));
      if (value < 0 || value > ENUMS[type.slice(5)]) {
        throw new DecodeError(`value ${value} of ${name}.${fname} is not defined in ${type.slice(5)}`);
      }
      msg[fname] = value;
    } else {
      throw new DecodeError(`unsupported type ${type}`);
    }
  }
  if (r.pos !== buf.length) throw new DecodeError('trailing bytes');
  return msg;
}

// ---------------------------------------------------------------------------------------------
// Field rules (protocol.md §3–§5).

class Refusal extends Error {}
const refuse = (why) => {
  throw new Refusal(why);
};

const REGION_FORMS = { 1: /^cn$/, 2: /^[0-9]{2}$/, 3: /^[0-9]{4}$/, 4: /^[0-9]{6}$/, 5: /^[0-9]{9}$/ };
const NODE_ID = /^(cn|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9})(-([2-9]|[1-9][0-9]))?$/;

const isNodeId = (s) => typeof s === 'string' && s.length <= 12 && NODE_ID.test(s);
const regionOf = (nodeId) => nodeId.split('-')[0];
const contains = (outer, inner) => outer === 'cn' || inner.startsWith(outer);

function validDate(yyyymmdd) {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

// Returns the intake node id of a well-formed ticket id, or null.
export function ticketIntake(id) {
  if (typeof id !== 'string' || id.length > 31 || !/^[\x21-\x7e]+$/.test(id)) return null;
  const match = /^(.+)-([0-9]{8})-([0-9]+)$/.exec(id);
  if (!match) return null;
  const [, node, date, serial] = match;
  if (!isNodeId(node) || !validDate(date)) return null;
  if (serial.length === 6) {
    if (serial === '000000') return null;
  } else if (serial.length < 6 || serial.length > 9 || serial[0] === '0') {
    return null;
  }
  return node;
}

function checkCertificate(c) {
  if (c.version !== 1n) refuse(`version ${c.version}`);
  if (!isNodeId(c.node_id)) refuse(`node_id ${JSON.stringify(c.node_id)} is not a node id`);
  if (!isNodeId(c.issuer)) refuse(`issuer ${JSON.stringify(c.issuer)} is not a node id`);
  const form = REGION_FORMS[c.level];
  if (!form) refuse(`level ${c.level}`);
  if (!form.test(c.region)) refuse(`region ${JSON.stringify(c.region)} is not of level ${c.level}`);
  if (c.region !== regionOf(c.node_id)) refuse('region is not the region of node_id');
  if (c.sign_key.length !== 32) refuse('sign_key is not 32 bytes');
  if (c.box_key.length !== 32) refuse('box_key is not 32 bytes');
  if (!(c.not_before_ms < c.not_after_ms)) refuse('not_before_ms is not before not_after_ms');
  if (c.serial < 1n) refuse('serial 0');
  const anchor = c.node_id === 'cn' && c.region === 'cn' && c.issuer === 'cn' && c.level === 1;
  if ((c.issuer === c.node_id) !== anchor) {
    refuse('issuer equals node_id other than for the national anchor certificate');
  }
  return anchor;
}

function checkRevocation(v) {
  if (v.version !== 1n) refuse(`version ${v.version}`);
  if (!isNodeId(v.issuer)) refuse(`issuer ${JSON.stringify(v.issuer)} is not a node id`);
  if (!isNodeId(v.node_id)) refuse(`node_id ${JSON.stringify(v.node_id)} is not a node id`);
  if (v.serial < 1n) refuse('serial 0');
  if (!(v.revoked_at_ms > 0n)) refuse('revoked_at_ms is not positive');
  if (Buffer.byteLength(v.reason, 'utf8') > 1024) refuse('reason longer than 1024 bytes');
}

function checkEvent(e) {
  if (e.version !== 1n) refuse(`version ${e.version}`);
  const intake = ticketIntake(e.ticket_id);
  if (intake === null) refuse(`ticket_id ${JSON.stringify(e.ticket_id)} is not a ticket id`);
  if (e.seq < 1n || e.seq >= 1n << 63n) refuse(`seq ${e.seq} out of range`);
  if (e.seq === 1n ? e.prev_hash.length !== 0 : e.prev_hash.length !== 32) {
    refuse(`prev_hash of ${e.prev_hash.length} bytes at seq ${e.seq}`);
  }
  if (!isNodeId(e.author)) refuse(`author ${JSON.stringify(e.author)} is not a node id`);
  if (e.actor === undefined) refuse('no actor');
  if (e.actor.role === 0) refuse('actor without a role');
  if (!(e.time_ms > 0n)) refuse('time_ms is not positive');
  const kind = e.$kind;
  if (kind === undefined) refuse('no kind');
  if ((e.seq === 1n) !== (kind === 'submitted')) refuse(`kind ${kind} at seq ${e.seq}`);
  const k = e[kind];
  switch (kind) {
    case 'submitted':
      if (e.author !== intake) refuse(`submitted by ${e.author}, not the intake node ${intake}`);
      if (k.type === 0) refuse('submitted without a type');
      if (!(k.received_at_ms > 0n)) refuse('submitted without received_at_ms');
      if (k.rule_version === '') refuse('submitted without a rule_version');
      break;
    case 'routed':
      if (!isNodeId(k.to_node)) refuse('routed to_node is not a node id');
      break;
    case 'transferred':
      if (!isNodeId(k.to_node)) refuse('transferred to_node is not a node id');
      if (k.direction === 0) refuse('transferred without a direction');
      break;
    case 'assigned':
      if (k.kind === 0) refuse('assigned without a kind');
      if (k.assignee === '') refuse('assigned without an assignee');
      if (k.kind === 1 && !isNodeId(k.assignee)) refuse('station assignee is not a node id');
      break;
    case 'type_changed':
      if (k.to === 0) refuse('type_changed without a type');
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Export lines (protocol.md §6).

// Parses one line as a JSON object of string and number members, keeping the members in order
// and the text of numbers; refuses duplicate members.
function parseLine(text) {
  const members = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const expect = (ch) => {
    ws();
    if (text[i] !== ch) refuse(`malformed JSON: expected '${ch}' at column ${i + 1}`);
    i++;
  };
  const token = (re) => {
    ws();
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  expect('{');
  ws();
  if (text[i] === '}') refuse('empty object');
  for (;;) {
    const key = token(STRING);
    if (key === null) refuse(`malformed JSON: expected a member name at column ${i + 1}`);
    expect(':');
    const str = token(STRING);
    let value;
    if (str !== null) value = JSON.parse(str);
    else {
      const num = token(NUMBER);
      if (num === null) refuse(`malformed JSON: expected a string or number at column ${i + 1}`);
      value = { number: num };
    }
    const name = JSON.parse(key);
    if (members.some(([n]) => n === name)) refuse(`member "${name}" repeated`);
    members.push([name, value]);
    ws();
    if (text[i] === ',') {
      i++;
      continue;
    }
    expect('}');
    break;
  }
  ws();
  if (i !== text.length) refuse('text after the object');
  return members;
}

const LAYOUTS = {
  certificate: ['type', 'node', 'issuer', 'body', 'signature'],
  revocation: ['type', 'node', 'issuer', 'body', 'signature'],
  event: ['type', 'ticket', 'seq', 'signer', 'body', 'signature'],
};

function base64Strict(s, what) {
  if (typeof s !== 'string' || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) {
    refuse(`${what} is not base64`);
  }
  const bytes = Buffer.from(s, 'base64');
  if (bytes.toString('base64') !== s) refuse(`${what} is not canonical base64`);
  return bytes;
}

const MAX_LINE = 524288;
const MAX_BODY = { certificate: 4096, revocation: 4096, event: 262144 };
const SECTION = { certificate: 0, revocation: 1, event: 2 };

// ---------------------------------------------------------------------------------------------
// The verifier (protocol.md §4 and §7).

class Verifier {
  constructor(anchorKey) {
    this.anchorKey = anchorKey;
    this.certs = new Map();  // node id -> [{ cert, body, anchor, parents: [record] }]
    this.bodies = new Set();  // hex of admitted certificate bodies
    this.revokedAt = new Map();  // issuer \0 node \0 serial -> earliest revoked_at_ms
    this.section = 0;
    this.lastCertKey = null;
    this.counts = { certificates: 0, revocations: 0, tickets: 0, events: 0 };
    this.prev = null;  // { ticket, seq, body } of the previous event line
  }

  line(text) {
    const members = parseLine(text);
    const [first, type] = members[0];
    if (first !== 'type' || !Object.hasOwn(LAYOUTS, type)) refuse('unknown line type');
    const m = Object.fromEntries(members);
    // The index of the line, for reports, before anything else can fail.
    const shown = (value) =>
      typeof value === 'string' ? value : value && value.number !== undefined ? value.number : '?';
    this.where =
      type === 'event' ? `event ${shown(m.ticket)} seq ${shown(m.seq)}` : `${type} of ${shown(m.node)}`;
    const names = members.map(([n]) => n);
    if (names.join(',') !== LAYOUTS[type].join(',')) {
      refuse(`members ${names.join(',')}, expected ${LAYOUTS[type].join(',')}`);
    }
    if (SECTION[type] < this.section) {
      refuse(`${type} line after ${Object.keys(SECTION)[this.section]} lines`);
    }
    this.section = SECTION[type];
    for (const name of LAYOUTS[type]) {
      const isNumber = name === 'seq';
      if (isNumber !== (typeof m[name] === 'object')) refuse(`member "${name}" of the wrong type`);
    }
    const body = base64Strict(m.body, 'body');
    const signature = base64Strict(m.signature, 'signature');
    if (body.length > MAX_BODY[type]) refuse(`body of ${body.length} bytes exceeds the limit`);
    if (signature.length !== 64) refuse(`signature of ${signature.length} bytes`);
    const parse = (msgName) => {
      try {
        return decode(msgName, body);
      } catch (e) {
        if (e instanceof DecodeError) refuse(`body does not decode: ${e.message}`);
        throw e;
      }
    };
    if (type === 'certificate') this.certificate(m, parse('CertificateBody'), body, signature);
    else if (type === 'revocation') this.revocation(m, parse('RevocationBody'), body, signature);
    else this.event(m, parse('EventBody'), body, signature);
  }

  certificate(m, c, body, signature) {
    const anchor = checkCertificate(c);
    if (m.node !== c.node_id) refuse(`line names node ${m.node}, body ${c.node_id}`);
    if (m.issuer !== c.issuer) refuse(`line names issuer ${m.issuer}, body ${c.issuer}`);
    const sortKey = [c.level, c.node_id, c.serial];
    if (this.lastCertKey !== null && compareKeys(sortKey, this.lastCertKey) < 0) {
      refuse('certificates not ordered by level, node id and serial');
    }
    this.lastCertKey = sortKey;
    const input = signingInput(TAG_CERTIFICATE, body);
    const parents = [];
    if (anchor) {
      if (!c.sign_key.equals(this.anchorKey)) refuse('anchor certificate with another key');
      const why = ed25519Refusal(this.anchorKey, input, signature);
      if (why) refuse(`${why} under the anchor key`);
    } else {
      const issued = this.certs.get(c.issuer) || [];
      const eligible = issued.filter(
        (p) => p.cert.level < c.level && contains(p.cert.region, c.region),
      );
      if (issued.length === 0) refuse(`no admitted certificate of issuer ${c.issuer}`);
      if (eligible.length === 0) {
        refuse(`issuer ${c.issuer} has no certificate at a higher level containing ${c.region}`);
      }
      for (const p of eligible) {
        if (ed25519Refusal(p.cert.sign_key, input, signature) === null) parents.push(p);
      }
      if (parents.length === 0) refuse(`signature does not verify under a key of ${c.issuer}`);
    }
    this.counts.certificates++;
    const hex = body.toString('hex');
    if (this.bodies.has(hex)) return;  // identical bytes again change nothing
    this.bodies.add(hex);
    if (!this.certs.has(c.node_id)) this.certs.set(c.node_id, []);
    this.certs.get(c.node_id).push({ cert: c, anchor, parents });
  }

  revocation(m, v, body, signature) {
    checkRevocation(v);
    if (m.node !== v.node_id) refuse(`line names node ${m.node}, body ${v.node_id}`);
    if (m.issuer !== v.issuer) refuse(`line names issuer ${m.issuer}, body ${v.issuer}`);
    const input = signingInput(TAG_REVOCATION, body);
    const keys = (this.certs.get(v.issuer) || []).map((p) => p.cert.sign_key);
    if (!keys.some((k) => ed25519Refusal(k, input, signature) === null)) {
      refuse(`signature does not verify under a key of ${v.issuer}`);
    }
    const key = `${v.issuer}\0${v.node_id}\0${v.serial}`;
    const earlier = this.revokedAt.get(key);
    if (earlier === undefined || v.revoked_at_ms < earlier) this.revokedAt.set(key, v.revoked_at_ms);
    this.counts.revocations++;
  }

  // protocol.md §4 "Is node N's key trusted at time t?" for one certificate.
  trusted(rec, t, links) {
    const c = rec.cert;
    if (!(c.not_before_ms <= t && t < c.not_after_ms)) return false;
    const revoked = this.revokedAt.get(`${c.issuer}\0${c.node_id}\0${c.serial}`);
    if (revoked !== undefined && revoked <= t) return false;
    if (rec.anchor) return true;
    if (links >= 8) return false;
    return rec.parents.some((p) => this.trusted(p, t, links + 1));
  }

  keyAt(nodeId, t) {
    const recs = [...(this.certs.get(nodeId) || [])];
    recs.sort((a, b) =>
      a.cert.not_before_ms !== b.cert.not_before_ms
        ? (a.cert.not_before_ms > b.cert.not_before_ms ? -1 : 1)
        : a.cert.serial === b.cert.serial ? 0 : a.cert.serial > b.cert.serial ? -1 : 1,
    );
    const rec = recs.find((r) => this.trusted(r, t, 0));
    return rec ? rec.cert.sign_key : null;
  }

  event(m, e, body, signature) {
    checkEvent(e);
    if (m.ticket !== e.ticket_id) refuse(`line names ticket ${m.ticket}, body ${e.ticket_id}`);
    if (!/^[0-9]+$/.test(m.seq.number) || BigInt(m.seq.number) !== e.seq) {
      refuse(`line names seq ${m.seq.number}, body ${e.seq}`);
    }
    if (m.signer !== e.author) refuse(`line names signer ${m.signer}, body author ${e.author}`);
    const key = this.keyAt(e.author, e.time_ms);
    if (key === null) refuse(`no certificate of ${e.author} trusted at ${e.time_ms}`);
    const why = ed25519Refusal(key, signingInput(TAG_EVENT, body), signature);
    if (why) refuse(`${why} under the certificate of ${e.author}`);
    const prev = this.prev;
    if (prev === null || prev.ticket !== e.ticket_id) {
      if (prev !== null && !(e.ticket_id > prev.ticket)) {
        refuse(`ticket ${e.ticket_id} after ${prev.ticket}: events not ordered by ticket id`);
      }
      if (e.seq !== 1n) refuse(`ticket starts at seq ${e.seq}`);
      if (e.prev_hash.length !== 0) refuse('seq 1 with a prev_hash');
      this.counts.tickets++;
    } else {
      if (e.seq !== prev.seq + 1n) refuse(`seq ${e.seq} follows seq ${prev.seq}`);
      if (!e.prev_hash.equals(blake2b256(prev.body))) {
        refuse(`prev_hash is not the id of seq ${prev.seq}`);
      }
    }
    this.prev = { ticket: e.ticket_id, seq: e.seq, body };
    this.counts.events++;
  }
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

// Returns { ok: true, counts } or { ok: false, message }.
export function verifyExport(anchorKey, data) {
  const v = new Verifier(anchorKey);
  let start = 0;
  let number = 0;
  while (start < data.length) {
    let end = data.indexOf(0x0a, start);
    const unterminated = end < 0;
    if (unterminated) end = data.length;
    const raw = data.subarray(start, end);
    start = end + 1;
    number++;
    v.where = null;
    try {
      if (unterminated) refuse('the last line does not end in a newline');
      if (raw.length > MAX_LINE) refuse(`line of ${raw.length} bytes`);
      let text;
      try {
        text = utf8.decode(raw);
      } catch {
        refuse('line is not UTF-8');
      }
      v.line(text);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      return { ok: false, message: `line ${number}: ${v.where ? `${v.where}: ` : ''}${e.message}` };
    }
  }
  return { ok: true, counts: v.counts };
}

// ---------------------------------------------------------------------------------------------
// Self-test: RFC 7693 vectors and the worked example of protocol.md §8.

function selfTest() {
  const failures = [];
  const check = (what, cond) => {
    if (!cond) failures.push(what);
  };
  const hex = (b) => Buffer.from(b).toString('hex');
  check('BLAKE2b-256("")', hex(blake2b256(Buffer.alloc(0))) ===
    '0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
  check('BLAKE2b-256("abc")', hex(blake2b256(Buffer.from('abc'))) ===
    'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
  // Block boundaries and the counter: the same code with a 64-byte digest must agree with
  // node:crypto's BLAKE2b-512.
  for (const n of [0, 1, 127, 128, 129, 255, 256, 257, 1000]) {
    const data = Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff));
    check(`BLAKE2b-512 of ${n} bytes`, hex(blake2b(data, 64)) ===
      crypto.createHash('blake2b512').update(data).digest('hex'));
  }

  const seed = Buffer.from('0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20', 'hex');
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
    .subarray(12);
  check('§8 public key', hex(publicKey) ===
    '79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664');

  const line = '{"type":"event","ticket":"cn-20250303-000001","seq":1,"signer":"cn","body":"CAESEmNuLTIwMjUwMzAzLTAwMDAwMRgBKgJjbjIGCAESAmMxOICtkczVMqIBIwgBGICtkczVMiIYc2Ftci1vcmRlci0yMEAyMDIyLTA5LTI5","signature":"X7fldgUQydsrOyACe00c6A/ym80g1A3grTmAjQjU9hwH9OsRpdumjZaChLEP48aclM2cJ/9JZ65rF8C09gmaAw=="}';
  const m = Object.fromEntries(parseLine(line));
  const body = base64Strict(m.body, 'body');
  const signature = base64Strict(m.signature, 'signature');
  check('§8 body is 81 bytes', body.length === 81);
  const e = decode('EventBody', body);
  checkEvent(e);
  check('§8 fields', e.ticket_id === 'cn-20250303-000001' && e.seq === 1n && e.author === 'cn' &&
    e.actor.role === 1 && e.actor.id === 'c1' && e.time_ms === 1740963600000n &&
    e.$kind === 'submitted' && e.submitted.type === 1 &&
    e.submitted.received_at_ms === 1740963600000n &&
    e.submitted.rule_version === 'samr-order-20@2022-09-29');
  check('§8 signing input', hex(signingInput(TAG_EVENT, body)).startsWith('7765697175616e2f76312f6576656e740008011212'));
  check('§8 signature', hex(signature) === '5fb7e5760510c9db2b3b20027b4d1ce80ff29bcd20d40de0ad39808d08d4f61c07f4eb11a5dba68d968284b10fe3c69c94cd9c27ff4967ae6b17c0b4f6099a03');
  check('§8 signature verifies', ed25519Refusal(publicKey, signingInput(TAG_EVENT, body), signature) === null);
  check('§8 signature is domain-separated',
    ed25519Refusal(publicKey, signingInput(TAG_CERTIFICATE, body), signature) !== null);
  check('§8 event id', hex(blake2b256(body)) ===
    '93edf5adec657347fbc020a946780d055bc29c067567e4b9e7e96a066835c11b');

  // S + L verifies under a lax verifier but is refused.
  const s = leInt(signature.subarray(32)) + L;
  const malleable = Buffer.from(signature);
  for (let i = 0; i < 32; i++) malleable[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
  check('S >= L refused', ed25519Refusal(publicKey, signingInput(TAG_EVENT, body), malleable) ===
    'non-canonical signature (S >= L)');
  const identity = Buffer.alloc(32);
  identity[0] = 1;
  check('small-order key refused', ed25519Refusal(identity, Buffer.alloc(0), signature) ===
    'public key of small order');

  const refused = (bytes) => {
    try {
      checkEvent(decode('EventBody', bytes));
      return false;
    } catch (err) {
      return err instanceof DecodeError || err instanceof Refusal;
    }
  };
  check('unknown top-level field refused', refused(Buffer.concat([body, Buffer.from('4001', 'hex')])));
  // actor with an unknown field 4: 32 08 08 01 12 02 63 31 20 05 in place of 32 06 ...
  check('actor at bytes 28..36', hex(body.subarray(28, 36)) === '3206080112026331');
  const nested = Buffer.concat([body.subarray(0, 28), Buffer.from('32080801120263312005', 'hex'),
    body.subarray(36)]);
  check('unknown nested field refused', refused(nested));
  check('undefined enum value refused', refused(Buffer.concat([body, Buffer.from('32020809', 'hex')])));
  check('truncated body refused', refused(body.subarray(0, 80)));
  check('invalid UTF-8 refused', refused(Buffer.concat([body, Buffer.from('2a02c328', 'hex')])));

  if (failures.length > 0) {
    console.log(`self-test failed: ${failures.join('; ')}`);
    return 1;
  }
  console.log('self-test ok');
  return 0;
}

// ---------------------------------------------------------------------------------------------

function main(argv) {
  if (argv.length === 1 && argv[0] === '--self-test') return selfTest();
  if (argv.length !== 3 || argv[0] !== '--anchor' || !/^[0-9a-fA-F]{64}$/.test(argv[1])) {
    console.error('usage: verify-export.mjs --anchor <64 hex digits> <export.jsonl>');
    console.error('       verify-export.mjs --self-test');
    return 2;
  }
  let data;
  try {
    data = fs.readFileSync(argv[2]);
  } catch (err) {
    console.error(`cannot read ${argv[2]}: ${err.message}`);
    return 2;
  }
  const result = verifyExport(Buffer.from(argv[1], 'hex'), data);
  if (!result.ok) {
    console.log(`broken: ${result.message}`);
    return 1;
  }
  const c = result.counts;
  console.log(`ok: ${c.certificates} certificates, ${c.tickets} tickets, ${c.events} events`);
  return 0;
}

// Run as a program, not when imported as a module.
if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
