// What a failed response says to a person: the problem document's detail when the API sent one.
export async function problem(response) {
  try {
    const body = await response.json();
    if (body?.detail) return body.detail;
  } catch { /* not a problem document */ }
  return `The server answered ${response.status} ${response.statusText}.`;
}
