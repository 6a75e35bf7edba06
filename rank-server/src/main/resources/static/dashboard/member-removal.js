// The operator's "Remove" buttons: DELETE /api/v1/members/{id} with the admin token typed into the page.
// The token lives only in the input field: it is never written to storage, a cookie or the URL.

export function enableRemoval({rows, tokenInput, message}) {
    rows.addEventListener('click', async event => {
        const button = event.target.closest('button[data-remove]');
        if (!button) {
            return;
        }
        const id = button.dataset.remove;
        const address = button.closest('tr').querySelector('.address').textContent;
        const token = tokenInput.value.trim();
        if (!token) {
            show(message, 'error', 'Enter the admin token first: removing a member needs it.');
            tokenInput.focus();
            return;
        }
        button.disabled = true;
        try {
            const response = await fetch(`api/v1/members/${encodeURIComponent(id)}`, {
                method: 'DELETE',
                headers: {Authorization: `Bearer ${token}`},
            });
            if (response.status === 204) {
                show(message, 'ok', `Removed ${address}.`);
            } else if (response.status === 404) {
                show(message, 'ok', `${address} is already gone.`);
            } else {
                show(message, 'error', `Could not remove ${address}: ${await problemText(response)}`);
            }
        } catch (unreachable) {
            show(message, 'error', `Could not remove ${address}: the rank server is unreachable.`);
        } finally {
            button.disabled = false;
        }
    });
}

async function problemText(response) {
    try {
        const problem = await response.json();
        return problem.detail || problem.title || `HTTP ${response.status}`;
    } catch (notJson) {
        return `HTTP ${response.status}`;
    }
}

function show(message, kind, text) {
    message.dataset.kind = kind;
    message.textContent = text;
    message.hidden = false;
}
