import { expect } from 'chai';
import { renderTasksText, safePath, servicePorts } from '../../src/api/index.js';

describe('api: tasks as text', () => {
  it('makes safe paths', () => {
    expect(safePath('/prod/api/web')).to.equal('prod_api_web');
  });

  it('reads service ports from ports, portDefinitions or container.portMappings', () => {
    expect(servicePorts({ ports: [1, 2] })).to.deep.equal([1, 2]);
    expect(servicePorts({ portDefinitions: [{ port: 10000 }] })).to.deep.equal([10000]);
    expect(servicePorts({ container: { portMappings: [{ containerPort: 80, servicePort: 10005 }] } })).to.deep.equal([
      10005,
    ]);
    expect(servicePorts({})).to.deep.equal([]);
  });

  it('skips tasks without a host port at that index and apps without tasks keep their line', () => {
    const text = renderTasksText(
      [
        { id: '/a', ports: [10000, 10001] },
        { id: '/b', ports: [10002] },
      ],
      [{ appId: '/a', host: 'h', ports: [31000] }],
    );
    expect(text).to.equal('a\t10000\th:31000\t\na\t10001\t\nb\t10002\t\n');
  });
});
