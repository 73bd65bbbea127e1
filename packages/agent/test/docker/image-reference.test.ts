import { expect } from 'chai';
import { imageReferenceProblem, parseImageReference, pullReference } from '../../src/docker/image-reference.js';

describe('docker: image references', () => {
  it('parses registry, port, path, tag and digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageReference('busybox')).to.deep.equal({ path: 'busybox' });
    expect(parseImageReference('mesocosm-busybox:latest')).to.deep.equal({ path: 'mesocosm-busybox', tag: 'latest' });
    expect(parseImageReference('registry.example.com:5000/team/app_x:1.2.3')).to.deep.equal({
      domain: 'registry.example.com:5000',
      path: 'team/app_x',
      tag: '1.2.3',
    });
    expect(parseImageReference(`localhost/app@${digest}`)).to.deep.equal({ domain: 'localhost', path: 'app', digest });
    expect(parseImageReference(`app:v1@${digest}`)).to.deep.equal({ path: 'app', tag: 'v1', digest });
    expect(parseImageReference('my.registry/a__b/c--d')).to.deep.equal({ domain: 'my.registry', path: 'a__b/c--d' });
  });

  for (const [ref, words] of [
    ['', 'empty'],
    ['Busybox', 'lowercase'],
    ['busy box', 'whitespace'],
    ['app:', 'is not a tag'],
    ['app:-x', 'is not a tag'],
    ['app@sha256:1234', 'digest'],
    [`app@sha256:${'a'.repeat(63)}`, 'digest'],
    ['a//b', 'empty path component'],
    ['app/', 'empty path component'],
    ['-app', 'repository name component'],
    ['app_', 'repository name component'],
    ['reg.io:port/app', 'registry host'],
    [':tag', 'name is missing'],
    [`${'a'.repeat(256)}`, 'longer than 255'],
  ] as const) {
    it(`refuses '${ref.length > 40 ? `${ref.slice(0, 10)}...` : ref}' (${words})`, () => {
      const problem = imageReferenceProblem(ref);
      expect(problem).to.be.a('string');
      expect(problem).to.include(words);
    });
  }

  it('pulls :latest when neither a tag nor a digest is given', () => {
    expect(pullReference('busybox')).to.equal('busybox:latest');
    expect(pullReference('localhost:5000/app')).to.equal('localhost:5000/app:latest');
    expect(pullReference('busybox:1.36')).to.equal('busybox:1.36');
    expect(pullReference(`busybox@sha256:${'b'.repeat(64)}`)).to.equal(`busybox@sha256:${'b'.repeat(64)}`);
  });
});
