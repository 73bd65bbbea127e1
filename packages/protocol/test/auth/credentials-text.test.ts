// Credentials as text, in every form the master, the SDK, Marathon and
// Chronos take: what is accepted, the rules that differ between Mesos'
// `--credentials` and the REST APIs' files, and errors that name the source
// and the entry without ever echoing a secret. (The master's and Marathon's
// parser tests moved here when the three parsers became one.)
import { expect } from 'chai';
import fc from 'fast-check';
import {
  checkCredential,
  checkCredentials,
  CredentialsError,
  HTTP_API_CREDENTIAL_RULES,
  MESOS_CREDENTIAL_RULES,
  parseCredentialList,
  parseCredentials,
  parseCredentialsFile,
  parseCredentialsText,
  parseTokensFile,
} from '../../src/index.js';

/** What `fn` throws: a CredentialsError. */
function thrown(fn: () => unknown): CredentialsError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(CredentialsError);
    return err as CredentialsError;
  }
  throw new Error('expected a throw');
}

describe("credentials files (the master's --credentials)", () => {
  it('reads JSON with tokens and plain "principal secret" lines', () => {
    const json = parseCredentialsText(
      '{"credentials":[{"principal":"a","secret":"s1"}],"tokens":[{"principal":"ci","token":"0123456789abcdef0"}]}',
      'f',
    );
    expect(json.credentials).to.deep.equal([{ principal: 'a', secret: 's1' }]);
    expect(json.tokens).to.deep.equal([{ principal: 'ci', token: '0123456789abcdef0' }]);
    const plain = parseCredentialsText('# operators\nops  pw1\n\nweb\tpw2\n', 'f');
    expect(plain.credentials).to.deep.equal([
      { principal: 'ops', secret: 'pw1' },
      { principal: 'web', secret: 'pw2' },
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ['a line with three fields', 'a b c-TOPSECRET', /line 1 must be "principal secret" \(two fields\), has 3/],
    ['a duplicate principal', 'a s1\na s2-TOPSECRET', /credentials\[1\] principal 'a' is listed twice/],
    ['a principal with a colon', '{"credentials":[{"principal":"a:b","secret":"TOPSECRET"}]}', /contains ':'/],
    [
      'an empty secret',
      '{"credentials":[{"principal":"a","secret":""}]}',
      /\(principal 'a'\) needs a non-empty "secret"/,
    ],
    ['a short token', '{"tokens":[{"principal":"a","token":"TOPSECRET"}]}', /needs a "token" of 16 characters or more/],
    ['nobody', '{"credentials":[]}', /lists nobody/],
    ['an unknown field', '{"credential":[]}', /credential is not a field/],
    ['broken JSON', '{"credentials": [TOPSECRET', /is not valid JSON/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what}, naming the file and the entry but not the secret`, () => {
      const err = thrown(() => parseCredentialsText(text, '/etc/creds'));
      expect(err).to.be.instanceOf(CredentialsError);
      expect(err.message)
        .to.match(message)
        .and.to.match(/^credentials in \/etc\/creds: /);
      expect(err.message).not.to.include('TOPSECRET');
    });
  }
});

describe('api auth: credentials (--http_credentials and its files)', () => {
  it('reads user:password[,user2:password2]; a password may hold a colon', () => {
    expect(parseCredentialList('alice:s3cret,bob:pa:ss')).to.deep.equal([
      { principal: 'alice', secret: 's3cret' },
      { principal: 'bob', secret: 'pa:ss' },
    ]);
  });

  it('names the entry at fault, never its secret', () => {
    for (const [text, pattern] of [
      ['alice', /--http_credentials: entry 1 is not user:password/],
      ['alice:hunter2,:hunter3', /entry 2: the principal must be non-empty/],
      ['alice:', /principal 'alice' has an empty secret/],
      ['alice:hunter2,alice:hunter3', /principal 'alice' has more than one password/],
      ['', /is empty/],
    ] as const) {
      const err = thrown(() => parseCredentialList(text));
      expect(err).to.be.instanceOf(CredentialsError);
      expect(err.message).to.match(pattern);
      expect(err.message).not.to.match(/hunter/);
    }
  });

  it("reads the master's JSON (credentials and tokens) or principal:secret lines (comments, 'principal secret')", () => {
    const json = JSON.stringify({
      credentials: [{ principal: 'alice', secret: 'a b:c' }],
      tokens: [{ principal: 'ci', token: 't' }],
    });
    expect(parseCredentialsFile(json, 'f')).to.deep.equal({
      credentials: [{ principal: 'alice', secret: 'a b:c' }],
      tokens: [{ principal: 'ci', token: 't' }],
    });
    const lines = '# operators\nalice:one:two\n\nbob   two words\n';
    expect(parseCredentialsFile(lines, 'f')).to.deep.equal({
      credentials: [
        { principal: 'alice', secret: 'one:two' },
        { principal: 'bob', secret: 'two words' },
      ],
      tokens: [],
    });
    expect(thrown(() => parseCredentialsFile('{"users": []}', 'f')).message).to.match(/must be \{"credentials"/);
    expect(thrown(() => parseCredentialsFile('{"credentials": [{"principal": "a"}]}', 'f')).message).to.match(
      /credentials\[0\] must have string "principal" and "secret"/,
    );
    const bad = thrown(() => parseCredentialsFile('{"credentials": [{"secret": "hunter2" ', 'creds.json'));
    expect(bad.message).to.match(/^creds\.json: is not valid JSON/);
    expect(bad.message).not.to.match(/hunter/);
  });

  it('reads tokens; a token is one principal’s', () => {
    expect(
      parseTokensFile('{"tokens": [{"principal": "ci", "token": "t1"}, {"principal": "ci", "token": "t2"}]}', 'f'),
    ).to.have.length(2);
    expect(parseTokensFile('ci:t1\nops:t2\n', 'f')).to.deep.equal([
      { principal: 'ci', token: 't1' },
      { principal: 'ops', token: 't2' },
    ]);
    expect(thrown(() => parseTokensFile('ci:t1\nops:t1\n', 'f')).message).to.match(/two entries share one token/);
  });
});

describe('credentials: every form, one parser', () => {
  const rules = [MESOS_CREDENTIAL_RULES, HTTP_API_CREDENTIAL_RULES];

  it('reads JSON lists, one {"principal", "secret"}, and "principal secret" or "principal:secret" lines, under both rules', () => {
    for (const r of rules) {
      const one = [{ principal: 'agent', secret: 's3cr3t' }];
      expect(parseCredentials('{"principal": "agent", "secret": "s3cr3t"}', 'f', r).credentials).to.deep.equal(one);
      expect(parseCredentials('# the agent\nagent s3cr3t\n', 'f', r).credentials).to.deep.equal(one);
      expect(parseCredentials('agent:s3cr3t\r\n', 'f', r).credentials).to.deep.equal(one);
      expect(parseCredentials('{"credentials": [{"principal": "agent", "secret": "s3cr3t"}]}', 'f', r)).to.deep.equal({
        credentials: one,
        tokens: [],
      });
    }
  });

  it('differs between the rules only where Mesos and the REST APIs differ: spaces in a secret, short tokens', () => {
    expect(parseCredentials('bob two words', 'f', HTTP_API_CREDENTIAL_RULES).credentials).to.deep.equal([
      { principal: 'bob', secret: 'two words' },
    ]);
    expect(thrown(() => parseCredentials('bob two words', 'f', MESOS_CREDENTIAL_RULES)).message).to.equal(
      'f: line 1 must be "principal secret" (two fields), has 3',
    );
    const short = '{"tokens": [{"principal": "ci", "token": "t0k3n"}]}';
    expect(parseCredentials(short, 'f', HTTP_API_CREDENTIAL_RULES).tokens).to.deep.equal([
      { principal: 'ci', token: 't0k3n' },
    ]);
    expect(thrown(() => parseCredentials(short, 'f', MESOS_CREDENTIAL_RULES)).message).to.equal(
      `f: tokens[0] (principal 'ci') needs a "token" of 16 characters or more, without spaces`,
    );
  });

  it('names the source and the entry in typed fields', () => {
    const err = thrown(() =>
      parseCredentials('ops pw\n\nops other', '--http_credentials_file /etc/c', MESOS_CREDENTIAL_RULES),
    );
    expect(err.code).to.equal('INVALID_ARGUMENT');
    expect(err.source).to.equal('--http_credentials_file /etc/c');
    expect(err.entry).to.equal('credentials[1]');
    expect(err.message).to.equal("--http_credentials_file /etc/c: credentials[1] principal 'ops' is listed twice");
    expect(thrown(() => parseTokensFile('{"tokens": [], "credentials": []}', 'tokens.json')).message).to.match(
      /^tokens\.json: credentials is not a field \(must be \{"tokens"/,
    );
    expect(thrown(() => parseTokensFile('ci two words', 'tokens.txt')).message).to.equal(
      'tokens.txt: line 1 (principal \'ci\') needs a non-empty "token" without spaces',
    );
  });

  it("checks one credential given as an option, and the master's option (JSON) alike", () => {
    expect(checkCredential({ principal: 'web', secret: 'x' }, 'the option')).to.deep.equal({
      principal: 'web',
      secret: 'x',
    });
    expect(thrown(() => checkCredential({ principal: 'a b', secret: 'x' }, 'the option')).message).to.equal(
      "the option: principal 'a b' may not contain white space",
    );
    expect(thrown(() => checkCredentials({ credentials: [{ principal: '', secret: 'x' }] })).message).to.equal(
      'credentials: credentials[0]: the principal must be non-empty',
    );
    expect(thrown(() => checkCredentials([])).message).to.match(/^credentials: must be \{"credentials"/);
  });

  it('never quotes a secret or a token, whatever is wrong around it', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,20}$/).map((s) => `SECRET${s}`);
    const broken = (s: string): string[] => [
      `a ${s}\na ${s}x`, // a principal twice
      `a ${s} ${s}`, // three fields (Mesos)
      `{"credentials": [{"principal": "a", "secret": "${s}"`, // broken JSON
      `{"credentials": [{"principal": "a:b", "secret": "${s}"}]}`,
      `{"credentials": [{"principal": "a", "secret": "${s}"}], "x": 1}`,
      `{"tokens": [{"principal": "a", "token": "${s.slice(0, 10)}"}]}`, // short (Mesos)
      `{"tokens": [{"principal": "a", "token": "${s}"}, {"principal": "b", "token": "${s}"}]}`,
    ];
    fc.assert(
      fc.property(secret, (s) => {
        for (const text of broken(s)) {
          const message = thrown(() => parseCredentials(text, 'f', MESOS_CREDENTIAL_RULES)).message;
          expect(message).not.to.include(s.slice(0, 10));
        }
        for (const list of [`a:${s},a:${s}`, `${s}`, `a:${s},:${s}`]) {
          expect(thrown(() => parseCredentialList(list)).message).not.to.include(s.slice(0, 10));
        }
      }),
      { numRuns: 50 },
    );
  });
});
