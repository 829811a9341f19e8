"""The "Neural Networks" chapter of PyTorch's 60-minute blitz on ctorch: a
LeNet (conv-pool-conv-pool-fc-fc-fc) on a 1x32x32 input, its parameters, a
forward pass, a mean-squared-error loss, backpropagation, and one SGD step.

    python examples/neural_networks.py
"""
import ctorch as torch
import ctorch.nn as nn
import ctorch.nn.functional as F
import ctorch.optim as optim


class Net(nn.Module):

    def __init__(self):
        super().__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b; 5*5 from the image dimension
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        # convolution C1: 1 input channel, 6 output channels, 5x5 kernel, ReLU;
        # output (N, 6, 28, 28)
        c1 = F.relu(self.conv1(input))
        # subsampling S2: 2x2 max pooling; output (N, 6, 14, 14)
        s2 = F.max_pool2d(c1, (2, 2))
        # convolution C3: 6 input channels, 16 output channels, 5x5 kernel, ReLU;
        # output (N, 16, 10, 10)
        c3 = F.relu(self.conv2(s2))
        # subsampling S4: 2x2 max pooling; output (N, 16, 5, 5)
        s4 = F.max_pool2d(c3, 2)
        # flatten: output (N, 400)
        s4 = torch.flatten(s4, 1)
        # fully connected F5, F6 with ReLU, and the output layer: (N, 10)
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        return self.fc3(f6)


def main():
    torch.manual_seed(0)
    net = Net()
    print(net)

    params = list(net.parameters())
    print(len(params))
    print(params[0].size())  # conv1's .weight

    input = torch.randn(1, 1, 32, 32)
    out = net(input)
    print(out)

    net.zero_grad()
    out.backward(torch.randn(1, 10))

    # the loss function
    output = net(input)
    target = torch.randn(10)  # a dummy target, for example
    target = target.view(1, -1)  # make it the same shape as output
    criterion = nn.MSELoss()

    loss = criterion(output, target)
    print(loss)

    print(loss.grad_fn)  # MSELoss
    print(loss.grad_fn.next_functions[0][0])  # Linear
    print(loss.grad_fn.next_functions[0][0].next_functions[0][0])  # fc3.bias's AccumulateGrad

    # backprop
    net.zero_grad()  # zeroes the gradient buffers of all parameters
    print("conv1.bias.grad before backward")
    print(net.conv1.bias.grad)
    loss.backward()
    print("conv1.bias.grad after backward")
    print(net.conv1.bias.grad)

    # updating the weights: by hand, then with an optimizer
    learning_rate = 0.01
    with torch.no_grad():
        for f in net.parameters():
            f.sub_(f.grad * learning_rate)

    optimizer = optim.SGD(net.parameters(), lr=0.01)
    optimizer.zero_grad()  # zero the gradient buffers
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()  # does the update
    print(criterion(net(input), target))


if __name__ == "__main__":
    main()
