// The fetcher's plan: which URIs are accepted, where they land, what is extracted. Pure.
import { expect } from 'chai';
import { archiveKind, fetchPlan, fetchProblem, fetchStep } from '../../src/fetcher/fetch-plan.js';

describe('fetcher: planning URIs', () => {
  it('accepts http, https, file:/// and bare absolute paths, landing under the last path segment', () => {
    const steps = fetchPlan([
      { value: 'http://example.com/a/tool.sh?x=1', executable: true },
      { value: 'https://example.com/dl/my%20file.txt', cache: true },
      { value: 'file:///opt/pkgs/app.tar.gz', extract: true },
      { value: '/opt/pkgs/data.zip', extract: true },
    ]);
    expect(steps.map((s) => [s.source.kind, s.target, s.archive, s.executable, s.cache])).to.deep.equal([
      ['http', 'tool.sh', undefined, true, false],
      ['http', 'my file.txt', undefined, false, true],
      ['file', 'app.tar.gz', 'tar', false, false],
      ['file', 'data.zip', 'zip', false, false],
    ]);
    expect(steps[2]?.source).to.deep.equal({ kind: 'file', path: '/opt/pkgs/app.tar.gz' });
  });

  it('extracts only when asked, by suffix of the output name or else of the source', () => {
    expect(fetchStep({ value: 'http://h/a.tgz' }).archive).to.equal(undefined);
    expect(fetchStep({ value: 'http://h/a.tgz', extract: true }).archive).to.equal('tar');
    expect(fetchStep({ value: 'http://h/download?id=3', extract: true, outputFile: 'x.zip' }).archive).to.equal('zip');
    expect(fetchStep({ value: 'http://h/pkg.tar.xz', extract: true, outputFile: 'pkg' }).archive).to.equal('tar');
    expect(fetchStep({ value: 'http://h/readme.txt', extract: true }).archive).to.equal(undefined);
    expect(['a.TAR.GZ', 'b.tar', 'c.tbz2', 'd.txz', 'e.zip', 'f.gz'].map(archiveKind)).to.deep.equal([
      'tar',
      'tar',
      'tar',
      'tar',
      'zip',
      undefined,
    ]);
  });

  it('keeps output_file inside the sandbox, normalised', () => {
    expect(fetchStep({ value: 'http://h/x', outputFile: 'bin/./tools/../run.sh' }).target).to.equal('bin/run.sh');
    expect(fetchProblem([{ value: 'http://h/x', outputFile: '../x' }])).to.include('escapes the sandbox');
    expect(fetchProblem([{ value: 'http://h/x', outputFile: 'a/../../x' }])).to.include('escapes the sandbox');
    expect(fetchProblem([{ value: 'http://h/x', outputFile: '/etc/passwd' }])).to.include('is absolute');
    expect(fetchProblem([{ value: 'http://h/x', outputFile: 'dir/' }])).to.include('names a directory');
  });

  it('refuses other schemes, relative paths and nameless URIs, saying what to do', () => {
    expect(fetchProblem([{ value: 'ftp://h/x.tgz' }]))
      .to.include("URI 'ftp://h/x.tgz'")
      .and.include("unsupported scheme 'ftp'")
      .and.include('http://, https:// and file://');
    expect(fetchProblem([{ value: 'hdfs://nn/x' }])).to.include("unsupported scheme 'hdfs'");
    expect(fetchProblem([{ value: 'relative/path.txt' }])).to.include('relative path');
    expect(fetchProblem([{ value: 'file://relative/x' }])).to.include('file:///absolute/path');
    expect(fetchProblem([{ value: 'http://h/' }])).to.include('set output_file');
    expect(fetchProblem([{ value: 'http://h/', outputFile: 'index.html' }])).to.equal(undefined);
    expect(fetchProblem([{ value: '' }])).to.include('is empty');
    expect(fetchProblem([])).to.equal(undefined);
    expect(fetchProblem(undefined)).to.equal(undefined);
  });
});
