/** `s3://bucket/prefix` → its parts; undefined when the text is not an S3 URL. */
export function parseS3Url(text: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(text);
  return match ? { bucket: match[1] as string, prefix: match[2] as string } : undefined;
}
