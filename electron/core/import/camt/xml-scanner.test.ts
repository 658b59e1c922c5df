import { describe, expect, it } from 'vitest';
import { XmlScanner, type XmlEvent } from './xml-scanner.js';
import { readElement } from './xml-tree.js';
import { cofferErrorOf as failure } from '../testing/import-test-helpers.js';

function events(text: string): XmlEvent[] {
  const scanner = new XmlScanner(text);
  const out: XmlEvent[] = [];
  for (let e = scanner.next(); e !== null; e = scanner.next()) out.push(e);
  return out;
}

describe('XmlScanner', () => {
  it('reads CDATA whole, a ">" and "]]" inside included, without decoding it', () => {
    expect(events('<a><![CDATA[x > y ]] &amp; <b>]]></a>')).toEqual([
      { kind: 'open', name: 'a', line: 1, attrs: {}, selfClosing: false },
      { kind: 'text', value: 'x > y ]] &amp; <b>', line: 1 },
      { kind: 'close', name: 'a', line: 1 },
    ]);
  });

  it('decodes the predefined entities and character references, and nothing else', () => {
    const [, text] = events('<a>&lt;&gt;&amp;&quot;&apos;&#228;&#xF6;&#x1F600;</a>');
    expect(text).toEqual({ kind: 'text', value: '<>&"\'äö😀', line: 1 });
    for (const bad of ['&nbsp;', '&#0;', '&#xD800;', '&#x110000;', '& ', '&amp']) {
      const err = failure(() => events(`<a>\n${bad}</a>`));
      expect(err.code).toBe('IMPORT_PARSE_ERROR');
      expect(err.message).toMatch(/^line 2: /);
    }
  });

  it('reads attributes in either quote, with ">" inside, and local names of prefixed tags', () => {
    expect(events('<c:Amt\n Ccy=\'EUR\' note="a>b &amp; c" xmlns:c="urn:x"/>')).toEqual([
      {
        kind: 'open',
        name: 'Amt',
        line: 1,
        attrs: { Ccy: 'EUR', note: 'a>b & c', 'xmlns:c': 'urn:x' },
        selfClosing: true,
      },
    ]);
    expect(failure(() => events('<a b="1" b="2">')).code).toBe('IMPORT_PARSE_ERROR');
    expect(failure(() => events('<a b=1>')).code).toBe('IMPORT_PARSE_ERROR');
    expect(failure(() => events('<a b="<">')).code).toBe('IMPORT_PARSE_ERROR');
  });

  it('counts lines through comments, processing instructions and multi-line tags', () => {
    const text = '<?xml version="1.0"?>\n<!-- one\ntwo -->\n<a\n x="1">\n<b>t</b></a>';
    expect(events(text).map((e) => [e.kind, e.line])).toEqual([
      ['open', 4],
      ['open', 6],
      ['text', 6],
      ['close', 6],
      ['close', 6],
    ]);
  });

  it('refuses any declaration: DOCTYPE, ENTITY, ELEMENT', () => {
    for (const decl of ['<!DOCTYPE a>', '<!ENTITY x "y">', '<!ELEMENT a ANY>']) {
      const err = failure(() => events(`\n${decl}<a/>`));
      expect(err.code).toBe('IMPORT_FORMAT_UNSUPPORTED');
      expect(err.details).toEqual({ line: 2 });
    }
  });

  it('stops nesting past 64 levels instead of growing without bound', () => {
    const deep = '<a>'.repeat(100) + '</a>'.repeat(100);
    const scanner = new XmlScanner(deep);
    const open = scanner.next();
    if (open?.kind !== 'open') throw new Error('expected a start tag');
    expect(failure(() => readElement(scanner, open)).message).toBe(
      'line 1: elements nest deeper than 64 levels',
    );
  });
});
