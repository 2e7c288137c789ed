import { describe, expect, it } from 'vitest';
import { InvalidTenantError, tenantRefFromSlug } from '@cetate/platform-tenancy';
import { TENANT_DENIED_BUCKET_ACTIONS, tenantAccessKeyId, tenantBucketPolicy, tenantPolicyName, type IamPolicyDocument } from './bucket-access.js';

/** IAM wildcard match (`*` any run, `?` one character), case-sensitive like S3 ARNs. */
function glob(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(value);
}

/** The IAM evaluation rule: an explicit Deny wins, else an Allow that matches, else implicit deny. */
function allowed(policy: IamPolicyDocument, action: string, resource: string): boolean {
  const hits = policy.Statement.filter((s) => s.Action.some((a) => glob(a, action)) && s.Resource.some((r) => glob(r, resource)));
  if (hits.some((s) => s.Effect === 'Deny')) return false;
  return hits.some((s) => s.Effect === 'Allow');
}

describe('tenantBucketPolicy (IAM policy of a tenant key)', () => {
  const policy = tenantBucketPolicy('acme');

  it('allows s3:* on exactly the tenant bucket and its objects', () => {
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'TenantBucketOnly', Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::cetate-acme', 'arn:aws:s3:::cetate-acme/*'] },
        { Sid: 'NoBucketAdministration', Effect: 'Deny', Action: [...TENANT_DENIED_BUCKET_ACTIONS], Resource: ['arn:aws:s3:::cetate-acme'] },
      ],
    });
    expect(JSON.parse(JSON.stringify(policy))).toEqual(policy);
  });

  it('grants object and listing access in its bucket, nothing in a bucket whose name merely starts the same', () => {
    expect(allowed(policy, 's3:GetObject', 'arn:aws:s3:::cetate-acme/invoicing/2025/F-1.xml')).toBe(true);
    expect(allowed(policy, 's3:PutObject', 'arn:aws:s3:::cetate-acme/documents/a.pdf')).toBe(true);
    expect(allowed(policy, 's3:ListBucket', 'arn:aws:s3:::cetate-acme')).toBe(true);
    // cetate-acme-srl is another tenant: neither resource pattern matches it
    expect(allowed(policy, 's3:GetObject', 'arn:aws:s3:::cetate-acme-srl/invoicing/x.xml')).toBe(false);
    expect(allowed(policy, 's3:ListBucket', 'arn:aws:s3:::cetate-acme-srl')).toBe(false);
    expect(allowed(policy, 's3:ListAllMyBuckets', 'arn:aws:s3:::*')).toBe(false);
    expect(allowed(policy, 's3:GetObject', 'arn:aws:s3:::cetate-beta/x')).toBe(false);
  });

  it('denies deleting the bucket or changing its policy, versioning or lock even though s3:* is allowed', () => {
    for (const action of TENANT_DENIED_BUCKET_ACTIONS) expect(allowed(policy, action, 'arn:aws:s3:::cetate-acme')).toBe(false);
    expect(allowed(policy, 's3:DeleteObject', 'arn:aws:s3:::cetate-acme/x')).toBe(true);
  });

  it('names the policy and the key after the slug, from a slug or a TenantRef, and refuses bad slugs', () => {
    expect(tenantPolicyName('acme-srl')).toBe('cetate-tenant-acme-srl');
    expect(tenantAccessKeyId(tenantRefFromSlug('acme-srl'))).toBe('cetate-acme-srl');
    expect(tenantBucketPolicy(tenantRefFromSlug('beta')).Statement[0]!.Resource).toEqual(['arn:aws:s3:::cetate-beta', 'arn:aws:s3:::cetate-beta/*']);
    expect(() => tenantBucketPolicy('a;drop database')).toThrow(InvalidTenantError);
    expect(() => tenantBucketPolicy('*')).toThrow(InvalidTenantError);
    expect(() => tenantPolicyName('Acme')).toThrow(InvalidTenantError);
  });
});
